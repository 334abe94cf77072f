// inspector2fix patch: actions (protocol 6.10, Terraform 1.14 and later), PATCHED.md patch 10.

//! [`Action`] module
//!
//! An action is an operation Terraform invokes outside the create/update/destroy lifecycle:
//! from an `action_trigger` in a resource's `lifecycle` block, or with
//! `terraform apply -invoke=action.<type>.<name>`. It changes no resource's state; it reports
//! progress messages while it runs and diagnostics when it completes.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

use crate::diagnostics::Diagnostics;
use crate::raw::RawValue;
use crate::schema::Schema;
use crate::tfplugin6 as tf;

/// Where an invoked action sends its progress messages
pub struct ActionProgress {
    tx: mpsc::Sender<tf::invoke_action::Event>,
}

impl ActionProgress {
    pub(crate) fn new(tx: mpsc::Sender<tf::invoke_action::Event>) -> Self {
        Self { tx }
    }

    /// Send one progress message (Terraform prints it); `false` means Terraform went away
    pub async fn send(&mut self, message: impl Into<String>) -> bool {
        let progress = tf::invoke_action::event::Progress { message: message.into() };
        let event = tf::invoke_action::Event { r#type: Some(tf::invoke_action::event::Type::Progress(progress)) };
        self.tx.send(event).await.is_ok()
    }
}

/// Trait for implementing an action with automatic serialization/deserialization
///
/// See also: [`DynamicAction`]
#[async_trait]
pub trait Action: Send + Sync {
    /// Configuration of the action's `config` block
    type Config<'a>: Serialize + Deserialize<'a> + Send;

    /// Schema of the configuration
    fn schema(&self, diags: &mut Diagnostics) -> Option<Schema>;

    /// Validate the configuration (it may hold unknown values)
    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Self::Config<'a>) -> Option<()> {
        _ = diags;
        _ = config;
        Some(())
    }

    /// Check the configuration before Terraform invokes the action (it may hold unknown values)
    async fn plan<'a>(&self, diags: &mut Diagnostics, config: Self::Config<'a>) -> Option<()> {
        _ = diags;
        _ = config;
        Some(())
    }

    /// Run the action, sending progress messages to `progress`
    ///
    /// The diagnostics in `diags` complete the invocation. If the return is [`None`] and
    /// `diags` holds no error, an ad-hoc error is added.
    async fn invoke<'a>(
        &self,
        diags: &mut Diagnostics,
        config: Self::Config<'a>,
        progress: &mut ActionProgress,
    ) -> Option<()>;
}

/// Trait for implementing an action *without* automatic serialization/deserialization
#[async_trait]
pub trait DynamicAction: Send + Sync {
    /// See [`Action::schema`]
    fn schema(&self, diags: &mut Diagnostics) -> Option<Schema>;
    /// See [`Action::validate`]
    async fn validate(&self, diags: &mut Diagnostics, config: RawValue) -> Option<()> {
        _ = diags;
        _ = config;
        Some(())
    }
    /// See [`Action::plan`]
    async fn plan(&self, diags: &mut Diagnostics, config: RawValue) -> Option<()> {
        _ = diags;
        _ = config;
        Some(())
    }
    /// See [`Action::invoke`]
    async fn invoke(&self, diags: &mut Diagnostics, config: RawValue, progress: &mut ActionProgress) -> Option<()>;
}

#[async_trait]
impl<T: Action> DynamicAction for T {
    fn schema(&self, diags: &mut Diagnostics) -> Option<Schema> {
        <T as Action>::schema(self, diags)
    }
    async fn validate(&self, diags: &mut Diagnostics, config: RawValue) -> Option<()> {
        let config = config.deserialize(diags)?;
        <T as Action>::validate(self, diags, config).await
    }
    async fn plan(&self, diags: &mut Diagnostics, config: RawValue) -> Option<()> {
        let config = config.deserialize(diags)?;
        <T as Action>::plan(self, diags, config).await
    }
    async fn invoke(&self, diags: &mut Diagnostics, config: RawValue, progress: &mut ActionProgress) -> Option<()> {
        let config = config.deserialize(diags)?;
        <T as Action>::invoke(self, diags, config, progress).await
    }
}

impl<T: Action + 'static> From<T> for Box<dyn DynamicAction> {
    fn from(value: T) -> Self {
        Box::new(value)
    }
}
