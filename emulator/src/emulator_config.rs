//! The emulator's own configuration (settling, latency, credentials, the organization every Region
//! starts with): the JSON shape shared by `PUT /_emulator/config` and `--config FILE`. Not to be
//! confused with an account's Inspector2 scan settings (`model::scan_settings`).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

use std::time::Instant;

use crate::model::account::{Account, ResourceType, Status};
use crate::util::{account_id, account_id_list, is_account_id};

pub const DEFAULT_ACCOUNT: &str = "123456789012";

#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Account of callers whose access key is not mapped.
    pub default_account: String,
    /// Access key id -> account id.
    pub credentials: BTreeMap<String, String>,
    pub delegated_admin: Option<String>,
    pub members: BTreeSet<String>,
    /// BatchGetAccountStatus reads needed before a transition settles.
    pub settle_polls: u32,
    /// Minimum milliseconds before a transition settles.
    pub settle_ms: u64,
    /// Added before every AWS API response (not control API responses).
    pub latency_ms: u64,
    /// When true, an account with any type ENABLING reports account status ENABLED.
    pub account_status_leads: bool,
    /// Value of the `Retry-After` header of throttling errors.
    pub retry_after_seconds: u64,
    /// When true, every State object in BatchGetAccountStatus carries `errorCode: ""` and
    /// `errorMessage: ""`. Default false: like real AWS, a State without an error has only `status`.
    pub state_error_fields: bool,
    /// Whether Security Hub is enabled in accounts that have no explicit `securityhub_enabled`.
    pub securityhub_default_enabled: bool,
    /// When true, every GetFindings (re)computes the Inspector.2 control finding of the caller's
    /// Security Hub home account from the Inspector2 state.
    pub evaluate_inspector2: bool,
    /// ListMembers/GetMember reads needed before an AssociateMember settles (relationship ENABLED).
    pub associate_polls: u32,
    /// Minimum milliseconds before an AssociateMember settles.
    pub associate_delay_ms: u64,
    /// GetDelegatedAdminAccount/ListDelegatedAdminAccounts reads needed before an Enable or
    /// Disable of the Inspector delegated administrator settles.
    pub delegated_admin_polls: u32,
    /// Minimum milliseconds before a delegated-administrator change settles.
    pub delegated_admin_delay_ms: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            default_account: DEFAULT_ACCOUNT.into(),
            credentials: BTreeMap::new(),
            delegated_admin: None,
            members: BTreeSet::new(),
            settle_polls: 1,
            settle_ms: 0,
            latency_ms: 0,
            account_status_leads: false,
            retry_after_seconds: 0,
            state_error_fields: false,
            securityhub_default_enabled: true,
            evaluate_inspector2: true,
            associate_polls: 1,
            associate_delay_ms: 0,
            delegated_admin_polls: 1,
            delegated_admin_delay_ms: 0,
        }
    }
}

impl Config {
    pub fn to_json(&self) -> Value {
        json!({
            "default_account": self.default_account,
            "credentials": self.credentials,
            "delegated_admin": self.delegated_admin,
            "members": self.members,
            "settle_polls": self.settle_polls,
            "settle_ms": self.settle_ms,
            "latency_ms": self.latency_ms,
            "account_status_leads": self.account_status_leads,
            "retry_after_seconds": self.retry_after_seconds,
            "state_error_fields": self.state_error_fields,
            "securityhub_default_enabled": self.securityhub_default_enabled,
            "evaluate_inspector2": self.evaluate_inspector2,
            "associate_polls": self.associate_polls,
            "associate_delay_ms": self.associate_delay_ms,
            "delegated_admin_polls": self.delegated_admin_polls,
            "delegated_admin_delay_ms": self.delegated_admin_delay_ms,
        })
    }

    /// Return a copy with the fields present in `patch` replaced. Unknown fields are an error
    /// (so a typo in a test fails loudly); nothing is applied if any field is invalid.
    pub fn patched(&self, patch: &Value) -> Result<Config, String> {
        let obj = patch.as_object().ok_or("config must be a JSON object")?;
        let mut c = self.clone();
        for (k, v) in obj {
            match k.as_str() {
                "default_account" => c.default_account = account_id(v, k)?,
                "credentials" => {
                    let m = v.as_object().ok_or("credentials must be an object {access_key: account_id}")?;
                    let mut creds = BTreeMap::new();
                    for (key, acct) in m {
                        creds.insert(key.clone(), account_id(acct, &format!("credentials.{key}"))?);
                    }
                    c.credentials = creds;
                }
                "delegated_admin" => c.delegated_admin = if v.is_null() { None } else { Some(account_id(v, k)?) },
                "members" => c.members = account_id_list(v, k)?.into_iter().collect(),
                "settle_polls" => {
                    c.settle_polls = u32::try_from(uint(v, k)?).map_err(|_| "settle_polls is too large".to_string())?
                }
                "settle_ms" => c.settle_ms = uint(v, k)?,
                "latency_ms" => c.latency_ms = uint(v, k)?,
                "retry_after_seconds" => c.retry_after_seconds = uint(v, k)?,
                "account_status_leads" => c.account_status_leads = boolean(v, k)?,
                "state_error_fields" => c.state_error_fields = boolean(v, k)?,
                "securityhub_default_enabled" => c.securityhub_default_enabled = boolean(v, k)?,
                "evaluate_inspector2" => c.evaluate_inspector2 = boolean(v, k)?,
                "associate_polls" => {
                    c.associate_polls =
                        u32::try_from(uint(v, k)?).map_err(|_| "associate_polls is too large".to_string())?
                }
                "associate_delay_ms" => c.associate_delay_ms = uint(v, k)?,
                "delegated_admin_polls" => {
                    c.delegated_admin_polls =
                        u32::try_from(uint(v, k)?).map_err(|_| "delegated_admin_polls is too large".to_string())?
                }
                "delegated_admin_delay_ms" => c.delegated_admin_delay_ms = uint(v, k)?,
                other => return Err(format!("unknown config field {other:?}")),
            }
        }
        Ok(c)
    }
}

/// A partial update of one account (control API `PUT /_emulator/accounts/{id}` and the
/// `accounts` map of the config file).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AccountPatch {
    pub suspended: Option<bool>,
    pub stuck: Option<bool>,
    pub resource_state: Vec<(ResourceType, Status)>,
    /// Security Hub on/off for the account (None: leave as is).
    pub securityhub_enabled: Option<bool>,
}

impl AccountPatch {
    pub fn parse(v: &Value) -> Result<AccountPatch, String> {
        let obj = v.as_object().ok_or("account must be a JSON object")?;
        let mut p = AccountPatch::default();
        for (k, v) in obj {
            match k.as_str() {
                "suspended" => p.suspended = Some(boolean(v, k)?),
                "stuck" => p.stuck = Some(boolean(v, k)?),
                "securityhub_enabled" => p.securityhub_enabled = Some(boolean(v, k)?),
                "resource_state" => {
                    let m = v.as_object().ok_or("resource_state must be an object like {\"EC2\": \"ENABLED\"}")?;
                    for (t, s) in m {
                        let ty = ResourceType::parse(t).ok_or_else(|| {
                            format!("unknown resource type {t:?} (EC2|ECR|LAMBDA|LAMBDA_CODE|CODE_REPOSITORY)")
                        })?;
                        let st = s.as_str().and_then(Status::parse_resource).ok_or_else(|| {
                            format!("resource_state.{t}: expected DISABLED|ENABLING|ENABLED|DISABLING")
                        })?;
                        p.resource_state.push((ty, st));
                    }
                }
                other => return Err(format!("unknown account field {other:?}")),
            }
        }
        Ok(p)
    }

    /// Apply to `a`; a transitional status starts a fresh transition at `now`.
    pub fn apply_to(&self, a: &mut Account, now: Instant) {
        if let Some(s) = self.suspended {
            a.suspended = s;
        }
        if let Some(s) = self.stuck {
            a.stuck = s;
        }
        if let Some(s) = self.securityhub_enabled {
            a.securityhub_enabled = Some(s);
        }
        for &(t, status) in &self.resource_state {
            a.set_resource(t, status, now);
        }
    }
}

/// What `reset` returns to: the configuration plus preset accounts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Initial {
    pub config: Config,
    pub accounts: Vec<(String, AccountPatch)>,
}

impl Initial {
    /// Parse a `--config` file: the `PUT /_emulator/config` shape plus optional `accounts`.
    pub fn from_json(v: &Value) -> Result<Initial, String> {
        let obj = v.as_object().ok_or("config must be a JSON object")?;
        let mut cfg_fields = Map::new();
        let mut accounts = Vec::new();
        for (k, v) in obj {
            if k == "accounts" {
                let m = v.as_object().ok_or("accounts must be an object {id: {...}}")?;
                for (id, a) in m {
                    if !is_account_id(id) {
                        return Err(format!("accounts: {id:?} is not a 12-digit account id"));
                    }
                    let patch = AccountPatch::parse(a).map_err(|e| format!("accounts.{id}: {e}"))?;
                    accounts.push((id.clone(), patch));
                }
            } else {
                cfg_fields.insert(k.clone(), v.clone());
            }
        }
        let config = Config::default().patched(&Value::Object(cfg_fields))?;
        Ok(Initial { config, accounts })
    }
}

fn uint(v: &Value, field: &str) -> Result<u64, String> {
    v.as_u64().ok_or_else(|| format!("{field}: expected a non-negative integer, got {v}"))
}

fn boolean(v: &Value, field: &str) -> Result<bool, String> {
    v.as_bool().ok_or_else(|| format!("{field}: expected true or false, got {v}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patch_merges_only_given_fields() {
        let c = Config::default().patched(&json!({"settle_polls": 3, "members": ["222222222222"]})).unwrap();
        assert_eq!(c.settle_polls, 3);
        assert_eq!(c.default_account, DEFAULT_ACCOUNT);
        assert!(c.members.contains("222222222222"));
        let c2 = c.patched(&json!({"delegated_admin": "111111111111"})).unwrap();
        assert_eq!(c2.settle_polls, 3);
        assert_eq!(c2.delegated_admin.as_deref(), Some("111111111111"));
        let c3 = c2.patched(&json!({"delegated_admin": null})).unwrap();
        assert_eq!(c3.delegated_admin, None);
    }

    #[test]
    fn patch_rejects_bad_input() {
        let c = Config::default();
        assert!(c.patched(&json!({"settle_pols": 3})).is_err());
        assert!(c.patched(&json!({"members": ["1234"]})).is_err());
        assert!(c.patched(&json!({"settle_ms": -1})).is_err());
        assert!(c.patched(&json!({"credentials": {"AK": "x"}})).is_err());
        assert!(c.patched(&json!([])).is_err());
    }

    #[test]
    fn config_file_with_accounts() {
        let i = Initial::from_json(&json!({
            "default_account": "111111111111",
            "accounts": {"111111111111": {"suspended": true, "resource_state": {"ECR": "ENABLED"}}}
        }))
        .unwrap();
        assert_eq!(i.config.default_account, "111111111111");
        assert_eq!(i.accounts.len(), 1);
        assert_eq!(i.accounts[0].1.suspended, Some(true));
        assert_eq!(i.accounts[0].1.resource_state, vec![(ResourceType::Ecr, Status::Enabled)]);
        assert!(Initial::from_json(&json!({"accounts": {"1": {}}})).is_err());
        assert!(AccountPatch::parse(&json!({"resource_state": {"EC2": "SUSPENDED"}})).is_err());
        let p = AccountPatch::parse(&json!({"securityhub_enabled": false})).unwrap();
        assert_eq!(p.securityhub_enabled, Some(false));
        assert!(AccountPatch::parse(&json!({"securityhub_enabled": "no"})).is_err());
    }

    #[test]
    fn securityhub_config_fields() {
        let c = Config::default();
        assert!(c.securityhub_default_enabled && c.evaluate_inspector2);
        let c = c.patched(&json!({"securityhub_default_enabled": false, "evaluate_inspector2": false})).unwrap();
        assert!(!c.securityhub_default_enabled && !c.evaluate_inspector2);
        assert_eq!(c.to_json()["evaluate_inspector2"], false);
        assert!(c.patched(&json!({"evaluate_inspector2": 1})).is_err());
        let c = c.patched(&json!({"associate_polls": 3, "associate_delay_ms": 250})).unwrap();
        assert_eq!((c.associate_polls, c.associate_delay_ms), (3, 250));
        assert_eq!(c.to_json()["associate_delay_ms"], 250);
        assert!(c.patched(&json!({"associate_polls": -1})).is_err());
    }
}
