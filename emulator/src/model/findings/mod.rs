//! Security Hub state: the data model, the GetFindings filter language, paging, the store, and
//! the standards control associations.
//! Nothing here knows about HTTP. Inside: `store` uses `paging`, which uses `filter`, which
//! uses `model`.

mod associations;
mod filter;
mod model;
mod paging;
mod store;

pub use associations::{
    standard_of_arn, standards_arn, Association, Associations, HubOrganization, FSBP, NIST, STANDARDS,
};
pub use filter::{Filters, MAX_FILTER_ATTRIBUTES, MAX_FILTER_VALUES};
pub use model::{
    account_resource_id, dedup, finding_id, initial_workflow, product_arn, Compliance, Control, Finding, Note,
    RecordState, Workflow, COMPANY_NAME, FINDING_TYPE, INSPECTOR2_CONTROL, PRODUCT_NAME, RESOURCE_TYPE, SCHEMA_VERSION,
    SEVERITY_LABELS,
};
pub use paging::{decode_token, encode_token, query_digest, Page};
pub use store::{Hub, MAX_GENERATE};
