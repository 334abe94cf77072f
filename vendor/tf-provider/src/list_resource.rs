// inspector2fix patch: list resources (protocol 6.10, `terraform query`), PATCHED.md patch 9.

//! [`ListResource`] module
//!
//! A list resource finds the existing objects of the managed resource of the same name, for
//! `list` blocks in `.tfquery.hcl` files (Terraform 1.14 and later). Each result carries the
//! object's identity (the managed resource must have an identity schema), a display name and,
//! when Terraform asks for it, the object as the managed resource's state.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

use crate::diagnostics::Diagnostics;
use crate::raw::RawValue;
use crate::schema::Schema;
use crate::tfplugin6 as tf;

/// One object found by a list resource
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListResult {
    /// Identity of the object, a value of the managed resource's identity schema (msgpack)
    pub identity: RawValue,
    /// Short text that names the object for people
    pub display_name: String,
    /// The object as the managed resource's state; sent only when [`ListSink::include_resource_object`]
    pub resource_object: Option<RawValue>,
}

/// Where a list resource sends its results, in order, as it finds them
///
/// Terraform reads them as a stream; [`ListSink::send`] waits while Terraform is behind.
pub struct ListSink {
    tx: mpsc::Sender<tf::list_resource::Event>,
    include_resource_object: bool,
    limit: i64,
    sent: i64,
}

impl ListSink {
    pub(crate) fn new(tx: mpsc::Sender<tf::list_resource::Event>, include_resource_object: bool, limit: i64) -> Self {
        Self { tx, include_resource_object, limit, sent: 0 }
    }

    /// Whether Terraform asked for each object's state (`include_resource = true`)
    pub fn include_resource_object(&self) -> bool {
        self.include_resource_object
    }

    /// The most results Terraform takes (the `limit` argument, 100 by default)
    pub fn limit(&self) -> i64 {
        self.limit
    }

    /// How many results are left before the limit
    pub fn remaining(&self) -> i64 {
        self.limit.saturating_sub(self.sent).max(0)
    }

    /// Send one result; `false` means stop listing: the limit is reached or Terraform went away
    pub async fn send(&mut self, result: ListResult) -> bool {
        if self.remaining() == 0 {
            return false;
        }
        let resource_object = if self.include_resource_object { result.resource_object.map(Into::into) } else { None };
        let event = tf::list_resource::Event {
            identity: Some(tf::ResourceIdentityData { identity_data: Some(result.identity.into()) }),
            display_name: result.display_name,
            resource_object,
            diagnostic: vec![],
        };
        if self.tx.send(event).await.is_err() {
            return false;
        }
        self.sent += 1;
        self.remaining() > 0
    }

    /// Send diagnostics on their own (warnings about one object, say); `false`: Terraform went away
    ///
    /// Terraform stops reading at the first error. Diagnostics left in the `diags` given to
    /// [`ListResource::list`] are sent this way when it returns.
    pub async fn send_diagnostics(&mut self, diags: Diagnostics) -> bool {
        if diags.errors.is_empty() && diags.warnings.is_empty() {
            return true;
        }
        let event = tf::list_resource::Event { diagnostic: diags.into(), ..Default::default() };
        self.tx.send(event).await.is_ok()
    }
}

/// Trait for implementing a list resource with automatic serialization/deserialization
///
/// See also: [`DynamicListResource`]
#[async_trait]
pub trait ListResource: Send + Sync {
    /// Configuration of the `config` block of a `list` block
    type Config<'a>: Serialize + Deserialize<'a> + Send;

    /// Schema of the `config` block
    fn schema(&self, diags: &mut Diagnostics) -> Option<Schema>;

    /// Validate the configuration (it may hold unknown values)
    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Self::Config<'a>) -> Option<()> {
        _ = diags;
        _ = config;
        Some(())
    }

    /// Find the objects and send each to `sink`, stopping when [`ListSink::send`] answers `false`
    ///
    /// Errors and warnings left in `diags` are sent after the results. If the return is
    /// [`None`] and `diags` holds no error, an ad-hoc error is added.
    async fn list<'a>(&self, diags: &mut Diagnostics, config: Self::Config<'a>, sink: &mut ListSink) -> Option<()>;
}

/// Trait for implementing a list resource *without* automatic serialization/deserialization
#[async_trait]
pub trait DynamicListResource: Send + Sync {
    /// See [`ListResource::schema`]
    fn schema(&self, diags: &mut Diagnostics) -> Option<Schema>;
    /// See [`ListResource::validate`]
    async fn validate(&self, diags: &mut Diagnostics, config: RawValue) -> Option<()> {
        _ = diags;
        _ = config;
        Some(())
    }
    /// See [`ListResource::list`]
    async fn list(&self, diags: &mut Diagnostics, config: RawValue, sink: &mut ListSink) -> Option<()>;
}

#[async_trait]
impl<T: ListResource> DynamicListResource for T {
    fn schema(&self, diags: &mut Diagnostics) -> Option<Schema> {
        <T as ListResource>::schema(self, diags)
    }
    async fn validate(&self, diags: &mut Diagnostics, config: RawValue) -> Option<()> {
        let config = config.deserialize(diags)?;
        <T as ListResource>::validate(self, diags, config).await
    }
    async fn list(&self, diags: &mut Diagnostics, config: RawValue, sink: &mut ListSink) -> Option<()> {
        let config = config.deserialize(diags)?;
        <T as ListResource>::list(self, diags, config, sink).await
    }
}

impl<T: ListResource + 'static> From<T> for Box<dyn DynamicListResource> {
    fn from(value: T) -> Self {
        Box::new(value)
    }
}
