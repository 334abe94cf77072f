//! An in-memory Inspector delegated administrator for unit tests: one Region's administrator,
//! changes that settle after a number of reads, a Conflict for an administrator of another
//! Region, and injected errors per operation. Every call is recorded.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;

use async_trait::async_trait;

use crate::aws::inspector::api::{
    DelegatedAdmin, DelegatedAdminAccount, DelegatedAdminApi, DelegatedAdminPage, DelegatedAdminStatus,
};
use crate::aws::inspector::organization::RelationshipStatus;
use crate::aws::{AwsError, ErrorClass};

#[derive(Default)]
pub struct FakeDelegatedAdmin {
    pub inner: Mutex<AdminWorld>,
}

/// A change under way: the account, whether it is an Enable, and reads left before it settles.
#[derive(Clone, Debug)]
pub struct Change {
    pub account: String,
    pub enabling: bool,
    pub reads_left: u32,
}

#[derive(Default)]
pub struct AdminWorld {
    /// The settled administrator of this Region.
    pub admin: Option<String>,
    pub change: Option<Change>,
    /// Reads (Get or List) a change stays in progress for.
    pub settle_after_reads: u32,
    /// An administrator of another Region: an Enable of any other account is a Conflict.
    pub admin_elsewhere: Option<String>,
    /// Errors returned by the next calls of an operation.
    pub call_errors: BTreeMap<&'static str, VecDeque<AwsError>>,
    /// GetDelegatedAdminAccount answers ResourceNotFoundException instead of an empty answer when
    /// there is no administrator.
    pub not_found_when_none: bool,
    /// An Enable of the current administrator answers ConflictException ("already enabled"), as
    /// the AWS provider has seen AWS do.
    pub conflict_when_already: bool,
    /// Becomes the administrator just before the next Enable is handled (a race with someone else).
    pub race_admin: Option<String>,
    /// Never settles.
    pub stuck: bool,
    /// (operation, account id sent) per call.
    pub calls: Vec<(&'static str, Option<String>)>,
}

pub fn error(operation: &'static str, code: &str) -> AwsError {
    let class = if ["Internal", "Throttl"].iter().any(|c| code.contains(c)) {
        ErrorClass::Retryable
    } else {
        ErrorClass::Final
    };
    AwsError::new(operation, class, Some(code), format!("injected {code}"))
}

impl FakeDelegatedAdmin {
    pub fn with_admin(admin: Option<&str>) -> Self {
        let fake = FakeDelegatedAdmin::default();
        fake.inner.lock().unwrap().admin = admin.map(str::to_owned);
        fake
    }

    pub fn count(&self, operation: &str) -> usize {
        self.inner.lock().unwrap().calls.iter().filter(|(op, _)| *op == operation).count()
    }

    pub fn fail_next(&self, operation: &'static str, code: &str) {
        let mut world = self.inner.lock().unwrap();
        world.call_errors.entry(operation).or_default().push_back(error(operation, code));
    }

    fn record(world: &mut AdminWorld, operation: &'static str, account: Option<&str>) -> Result<(), AwsError> {
        world.calls.push((operation, account.map(str::to_owned)));
        match world.call_errors.get_mut(operation).and_then(VecDeque::pop_front) {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

impl AdminWorld {
    /// The account that is, or is becoming, the administrator.
    fn current(&self) -> Option<&str> {
        match &self.change {
            Some(c) if c.enabling => Some(&c.account),
            _ => self.admin.as_deref(),
        }
    }

    fn poll(&mut self) {
        let Some(change) = self.change.as_mut() else { return };
        if self.stuck {
            return;
        }
        if change.reads_left > 0 {
            change.reads_left -= 1;
            return;
        }
        let change = self.change.take().expect("a change");
        self.admin = change.enabling.then_some(change.account);
    }
}

#[async_trait]
impl DelegatedAdminApi for FakeDelegatedAdmin {
    async fn enable_delegated_admin(&self, account_id: &str, client_token: &str) -> Result<(), AwsError> {
        const OP: &str = "EnableDelegatedAdminAccount";
        assert!((1..=64).contains(&client_token.len()), "clientToken must be 1 to 64 characters");
        let mut world = self.inner.lock().unwrap();
        Self::record(&mut world, OP, Some(account_id))?;
        if let Some(raced) = world.race_admin.take() {
            world.admin = Some(raced);
        }
        let already = world.conflict_when_already;
        match world.current() {
            Some(a) if a == account_id && already => return Err(error(OP, "ConflictException")),
            Some(a) if a == account_id => return Ok(()),
            Some(_) => return Err(error(OP, "ConflictException")),
            None => {}
        }
        if world.admin_elsewhere.as_deref().is_some_and(|a| a != account_id) {
            return Err(error(OP, "ConflictException"));
        }
        let reads_left = world.settle_after_reads;
        world.change = Some(Change { account: account_id.to_owned(), enabling: true, reads_left });
        Ok(())
    }

    async fn disable_delegated_admin(&self, account_id: &str) -> Result<(), AwsError> {
        const OP: &str = "DisableDelegatedAdminAccount";
        let mut world = self.inner.lock().unwrap();
        Self::record(&mut world, OP, Some(account_id))?;
        if world.current() != Some(account_id) {
            return Err(error(OP, "ResourceNotFoundException"));
        }
        let reads_left = world.settle_after_reads;
        world.change = Some(Change { account: account_id.to_owned(), enabling: false, reads_left });
        Ok(())
    }

    async fn delegated_admin(&self) -> Result<Option<DelegatedAdmin>, AwsError> {
        let mut world = self.inner.lock().unwrap();
        Self::record(&mut world, "GetDelegatedAdminAccount", None)?;
        world.poll();
        let (account, status) = match (&world.change, &world.admin) {
            (Some(c), _) if c.enabling => (c.account.clone(), RelationshipStatus::Created),
            (Some(c), _) => (c.account.clone(), RelationshipStatus::Disabled),
            (None, Some(a)) => (a.clone(), RelationshipStatus::Enabled),
            (None, None) if world.not_found_when_none => {
                return Err(error("GetDelegatedAdminAccount", "ResourceNotFoundException"))
            }
            (None, None) => return Ok(None),
        };
        Ok(Some(DelegatedAdmin { account_id: account, relationship_status: Some(status) }))
    }

    async fn delegated_admins_page(&self, next_token: Option<String>) -> Result<DelegatedAdminPage, AwsError> {
        assert!(next_token.is_none(), "the fake answers one page");
        let mut world = self.inner.lock().unwrap();
        Self::record(&mut world, "ListDelegatedAdminAccounts", None)?;
        world.poll();
        let listed = match (&world.change, &world.admin) {
            (Some(c), _) if !c.enabling => Some((c.account.clone(), DelegatedAdminStatus::DisableInProgress)),
            (_, Some(a)) => Some((a.clone(), DelegatedAdminStatus::Enabled)),
            _ => None,
        };
        let accounts = listed
            .map(|(account_id, status)| DelegatedAdminAccount { account_id, status: Some(status) })
            .into_iter()
            .collect();
        Ok(DelegatedAdminPage { accounts, next_token: None })
    }
}
