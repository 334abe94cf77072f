//! An in-memory Security Hub for unit tests of listing, compliance and suppression. It records
//! every call with its virtual time, so tests under Tokio's paused clock can check the rate.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;

use async_trait::async_trait;
use tokio::time::Instant;

use crate::aws::securityhub::api::{
    AssociationsPage, Control, ControlAssociation, Finding, FindingQuery, FindingRef, FindingUpdate, FindingsPage,
    HubOrganizationConfiguration, RecordState, SecurityHubApi, UnprocessedFinding, UpdateOutcome,
};
use crate::aws::{AwsError, ErrorClass};

pub const CONTROL: &str = "Inspector.2";
pub const PRODUCT_ARN: &str = "arn:aws:securityhub:us-east-1::product/aws/securityhub";

#[derive(Default)]
pub struct FakeSecurityHub {
    pub inner: Mutex<HubWorld>,
}

#[derive(Default)]
pub struct HubWorld {
    pub controls: Vec<Control>,
    /// Findings by control id, in the order GetFindings returns them.
    pub findings: BTreeMap<String, Vec<Finding>>,
    /// GetFindings page size; 0 means 100, as the provider asks.
    pub page_size: usize,
    /// Return every finding of the control, whatever the filters, as moto does.
    pub ignore_filters: bool,
    /// Findings BatchUpdateFindings reports unprocessed, with these errors.
    pub refuse: Vec<UnprocessedFinding>,
    /// The control in each of the caller's enabled standards, by control id.
    pub associations: BTreeMap<String, Vec<ControlAssociation>>,
    /// ListStandardsControlAssociations page size; 0 means 100.
    pub associations_page_size: usize,
    /// What Security Hub's DescribeOrganizationConfiguration answers.
    pub hub_configuration: HubOrganizationConfiguration,
    /// Errors returned by the next calls of an operation.
    pub call_errors: BTreeMap<&'static str, VecDeque<AwsError>>,
    pub calls: Vec<Call>,
}

/// One API call as the fake saw it.
#[derive(Clone, Debug)]
pub struct Call {
    pub operation: &'static str,
    pub at: Instant,
    /// The findings named by BatchUpdateFindings.
    pub finding_ids: Vec<String>,
    pub update: Option<FindingUpdate>,
    /// The query GetFindings was sent.
    pub query: Option<FindingQuery>,
}

/// A finding of [`CONTROL`] about `account`, ACTIVE.
pub fn finding(id: &str, account: &str, compliance: &str, workflow: &str) -> Finding {
    Finding {
        id: id.into(),
        product_arn: PRODUCT_ARN.into(),
        account_id: account.into(),
        region: "us-east-1".into(),
        resource_id: format!("AWS::::Account:{account}"),
        compliance_status: Some(compliance.into()),
        workflow_status: Some(workflow.into()),
        record_state: Some(RecordState::Active),
        updated_at: "2026-11-28T00:00:00Z".into(),
        note_text: None,
        note_updated_by: None,
    }
}

pub fn error(operation: &'static str, code: &str) -> AwsError {
    // As the SDK boundary classes them: server errors and throttling can heal.
    let class = if ["Internal", "Throttl", "LimitExceeded"].iter().any(|c| code.contains(c)) {
        ErrorClass::Retryable
    } else {
        ErrorClass::Final
    };
    AwsError::new(operation, class, Some(code), format!("injected {code}"))
}

impl FakeSecurityHub {
    pub fn with(findings: Vec<Finding>) -> Self {
        let hub = FakeSecurityHub::default();
        hub.inner.lock().unwrap().findings.insert(CONTROL.into(), findings);
        hub
    }

    pub fn stored(&self, id: &str) -> Finding {
        let world = self.inner.lock().unwrap();
        let all = world.findings.values().flatten();
        all.into_iter().find(|f| f.id == id).cloned().unwrap_or_else(|| panic!("no finding {id}"))
    }

    pub fn calls(&self, operation: &str) -> Vec<Call> {
        self.inner.lock().unwrap().calls.iter().filter(|c| c.operation == operation).cloned().collect()
    }

    fn record(&self, world: &mut HubWorld, call: Call) -> Result<(), AwsError> {
        let operation = call.operation;
        world.calls.push(call);
        match world.call_errors.get_mut(operation).and_then(VecDeque::pop_front) {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    fn call(&self, operation: &'static str) -> Call {
        Call { operation, at: Instant::now(), finding_ids: Vec::new(), update: None, query: None }
    }
}

fn matches(f: &Finding, query: &FindingQuery) -> bool {
    f.record_state == Some(RecordState::Active)
        && query.account_id.as_ref().is_none_or(|a| &f.account_id == a)
        && query.region.as_ref().is_none_or(|r| &f.region == r)
}

fn apply(f: &mut Finding, update: &FindingUpdate) {
    if let Some(status) = &update.workflow_status {
        f.workflow_status = Some(status.clone());
    }
    if let Some(note) = &update.note {
        f.note_text = Some(note.text.clone());
        f.note_updated_by = Some(note.updated_by.clone());
    }
}

#[async_trait]
impl SecurityHubApi for FakeSecurityHub {
    async fn control(&self, control_id: &str) -> Result<Option<Control>, AwsError> {
        let mut world = self.inner.lock().unwrap();
        self.record(&mut world, self.call("BatchGetSecurityControls"))?;
        Ok(world.controls.iter().find(|c| c.id == control_id).cloned())
    }

    async fn findings_page(&self, query: &FindingQuery, next_token: Option<String>) -> Result<FindingsPage, AwsError> {
        let mut world = self.inner.lock().unwrap();
        self.record(&mut world, Call { query: Some(query.clone()), ..self.call("GetFindings") })?;
        let start: usize = match next_token {
            Some(token) => token.parse().map_err(|_| error("GetFindings", "InvalidInputException"))?,
            None => 0,
        };
        let size = if world.page_size == 0 { 100 } else { world.page_size };
        let all = world.findings.get(&query.control_id).map(Vec::as_slice).unwrap_or_default();
        let selected: Vec<&Finding> = all.iter().filter(|f| world.ignore_filters || matches(f, query)).collect();
        let end = (start + size).min(selected.len());
        Ok(FindingsPage {
            findings: selected[start.min(end)..end].iter().map(|f| (*f).clone()).collect(),
            next_token: (end < selected.len()).then(|| end.to_string()),
        })
    }

    async fn update_findings(&self, refs: &[FindingRef], update: &FindingUpdate) -> Result<UpdateOutcome, AwsError> {
        assert!(
            !refs.is_empty() && refs.len() <= 100,
            "BatchUpdateFindings takes 1 to 100 findings, not {}",
            refs.len()
        );
        let mut world = self.inner.lock().unwrap();
        let finding_ids = refs.iter().map(|r| r.id.clone()).collect();
        let call = Call { finding_ids, update: Some(update.clone()), ..self.call("BatchUpdateFindings") };
        self.record(&mut world, call)?;
        // Security Hub refuses the whole call when Note.Text is not 1 to 512 characters.
        if update.note.as_ref().is_some_and(|n| !(1..=512).contains(&n.text.chars().count())) {
            return Err(error("BatchUpdateFindings", "InvalidInputException"));
        }
        let mut out = UpdateOutcome::default();
        for r in refs {
            if let Some(refusal) = world.refuse.iter().find(|u| u.id == r.id) {
                out.unprocessed.push(refusal.clone());
                continue;
            }
            let stored = world.findings.values_mut().flatten().find(|f| f.id == r.id && f.product_arn == r.product_arn);
            match stored {
                Some(f) => {
                    apply(f, update);
                    out.processed.push(r.id.clone());
                }
                None => out.unprocessed.push(UnprocessedFinding {
                    id: r.id.clone(),
                    error_code: "FindingNotFound".into(),
                    error_message: "no such finding".into(),
                }),
            }
        }
        Ok(out)
    }

    async fn control_associations_page(
        &self,
        control_id: &str,
        next_token: Option<String>,
    ) -> Result<AssociationsPage, AwsError> {
        const OP: &str = "ListStandardsControlAssociations";
        let mut world = self.inner.lock().unwrap();
        self.record(&mut world, self.call(OP))?;
        let start: usize = match next_token {
            Some(token) => token.parse().map_err(|_| error(OP, "InvalidInputException"))?,
            None => 0,
        };
        let size = if world.associations_page_size == 0 { 100 } else { world.associations_page_size };
        let all = world.associations.get(control_id).map(Vec::as_slice).unwrap_or_default();
        let end = (start + size).min(all.len());
        Ok(AssociationsPage {
            associations: all[start.min(end)..end].to_vec(),
            next_token: (end < all.len()).then(|| end.to_string()),
        })
    }

    async fn organization_configuration(&self) -> Result<HubOrganizationConfiguration, AwsError> {
        let mut world = self.inner.lock().unwrap();
        self.record(&mut world, self.call("DescribeOrganizationConfiguration"))?;
        Ok(world.hub_configuration.clone())
    }
}
