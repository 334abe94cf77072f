//! The findings store: one per Security Hub home account, plus the controls, and the control-API
//! operations that seed and change findings.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::associations::{Associations, HubOrganization};
use super::filter::Filters;
use super::model::{
    account_resource_id, finding_id, initial_workflow, opt_str, parse_enum, Compliance, Control, Finding, RecordState,
    Workflow,
};
use super::paging::{page, Page};
use crate::util::{account_id_list, is_account_id, stable_uuid, unknown_key};

/// Largest `generate.count` the control API accepts.
pub const MAX_GENERATE: u64 = 1_000_000;

/// All Security Hub state.
#[derive(Clone, Debug)]
pub struct Hub {
    pub controls: BTreeMap<String, Control>,
    /// Home account -> (finding Id -> finding).
    pub findings: BTreeMap<String, BTreeMap<String, Finding>>,
    /// Counter behind generated finding ids (deterministic from a reset).
    seq: u64,
    /// The Region of this Security Hub: seeded findings default to it.
    pub region: String,
    /// Enabled standards and control associations per account.
    pub associations: Associations,
    /// The organization configuration (CENTRAL or LOCAL) and its administrator.
    pub organization: HubOrganization,
}

impl Default for Hub {
    fn default() -> Self {
        Hub::in_region("us-east-1")
    }
}

impl Hub {
    pub fn in_region(region: &str) -> Hub {
        Hub {
            controls: Control::builtin().into_iter().map(|c| (c.id.clone(), c)).collect(),
            findings: BTreeMap::new(),
            seq: 0,
            region: region.to_string(),
            associations: Associations::default(),
            organization: HubOrganization::default(),
        }
    }

    pub fn store(&self, home: &str) -> Option<&BTreeMap<String, Finding>> {
        self.findings.get(home)
    }

    pub fn store_mut(&mut self, home: &str) -> &mut BTreeMap<String, Finding> {
        self.findings.entry(home.to_string()).or_default()
    }

    pub fn find_mut(&mut self, home: &str, id: &str) -> Option<&mut Finding> {
        self.findings.get_mut(home)?.get_mut(id)
    }

    /// A fresh, deterministic finding id.
    pub fn new_finding_id(&mut self, home: &str, region: &str, control: &str) -> String {
        self.seq += 1;
        let uuid = stable_uuid(&format!("{home}|{region}|{control}|{}", self.seq));
        finding_id(home, region, control, &uuid)
    }

    /// Up to `max` findings of `home` matching `filters`, in Id order, after the cursor `after`.
    pub fn page(&self, home: &str, filters: &Filters, after: Option<&str>, max: usize) -> Page<'_> {
        page(self.findings.get(home), &self.controls, filters, after, max)
    }

    /// Like [`Hub::page`], over `store` (findings gathered from several Regions) with this Hub's
    /// controls.
    pub fn page_of<'a>(
        &self,
        store: &'a BTreeMap<String, Finding>,
        filters: &Filters,
        after: Option<&str>,
        max: usize,
    ) -> Page<'a> {
        page(Some(store), &self.controls, filters, after, max)
    }

    /// Every finding of `home` (sorted by Id) as AwsSecurityFinding JSON.
    pub fn findings_json(&self, home: &str) -> Vec<Value> {
        self.findings
            .get(home)
            .map(|s| s.values().map(|f| f.to_json(self.controls.get(&f.control_id))).collect())
            .unwrap_or_default()
    }

    /// Control API: seed findings into `home`'s store from `{"findings": [...], "generate": {...}}`
    /// (either or both). All or nothing. Returns the ids added (or replaced), in input order.
    pub fn seed(&mut self, home: &str, body: &Map<String, Value>, now: &str) -> Result<Vec<String>, String> {
        let mut new: Vec<Finding> = Vec::new();
        if let Some(list) = body.get("findings").filter(|v| !v.is_null()) {
            let list = list.as_array().ok_or("findings must be an array")?;
            for (i, v) in list.iter().enumerate() {
                let f = self.parse_seed_finding(home, v, now).map_err(|e| format!("findings[{i}]: {e}"))?;
                new.push(f);
            }
        }
        if let Some(g) = body.get("generate").filter(|v| !v.is_null()) {
            new.extend(self.generate(home, g, now).map_err(|e| format!("generate: {e}"))?);
        }
        let store = self.store_mut(home);
        let mut ids = Vec::with_capacity(new.len());
        for mut f in new {
            if let Some(old) = store.get(&f.id) {
                f.created_at = old.created_at.clone();
            }
            ids.push(f.id.clone());
            store.insert(f.id.clone(), f);
        }
        Ok(ids)
    }

    fn parse_seed_finding(&mut self, home: &str, v: &Value, now: &str) -> Result<Finding, String> {
        let obj = v.as_object().ok_or("a finding must be a JSON object")?;
        let fields = [
            "Id",
            "AwsAccountId",
            "SecurityControlId",
            "ComplianceStatus",
            "WorkflowStatus",
            "RecordState",
            "Region",
            "ResourceId",
            "UpdatedAt",
            "CreatedAt",
        ];
        if let Some(k) = unknown_key(obj, &fields) {
            return Err(format!("unknown finding field {k:?}"));
        }
        let account =
            opt_str(obj, "AwsAccountId")?.filter(|a| is_account_id(a)).ok_or("AwsAccountId is required (12 digits)")?;
        let control =
            opt_str(obj, "SecurityControlId")?.filter(|c| !c.is_empty()).ok_or("SecurityControlId is required")?;
        let compliance = parse_enum(obj, "ComplianceStatus", Compliance::parse, Compliance::NAMES)?
            .ok_or("ComplianceStatus is required")?;
        let workflow = parse_enum(obj, "WorkflowStatus", Workflow::parse, Workflow::NAMES)?
            .unwrap_or_else(|| initial_workflow(compliance));
        let record_state =
            parse_enum(obj, "RecordState", RecordState::parse, RecordState::NAMES)?.unwrap_or(RecordState::Active);
        let region = opt_str(obj, "Region")?.filter(|r| !r.is_empty()).unwrap_or_else(|| self.region.clone());
        let resource_id = opt_str(obj, "ResourceId")?.unwrap_or_else(|| account_resource_id(&account));
        let updated_at = opt_str(obj, "UpdatedAt")?.unwrap_or_else(|| now.to_string());
        let created_at = opt_str(obj, "CreatedAt")?.unwrap_or_else(|| updated_at.clone());
        let id = match opt_str(obj, "Id")? {
            Some(id) if !id.is_empty() => id,
            Some(_) => return Err("Id must not be empty".into()),
            None => self.new_finding_id(home, &region, &control),
        };
        Ok(Finding {
            workflow,
            record_state,
            resource_id,
            created_at,
            ..Finding::new(id, &account, &region, &control, compliance, &updated_at)
        })
    }

    fn generate(&mut self, home: &str, g: &Value, now: &str) -> Result<Vec<Finding>, String> {
        let obj = g.as_object().ok_or("must be a JSON object")?;
        let fields =
            ["control_id", "count", "compliance_status", "workflow_status", "record_state", "account_ids", "region"];
        if let Some(k) = unknown_key(obj, &fields) {
            return Err(format!("unknown field {k:?}"));
        }
        let control = opt_str(obj, "control_id")?.filter(|c| !c.is_empty()).ok_or("control_id is required")?;
        let count = obj
            .get("count")
            .and_then(Value::as_u64)
            .filter(|&n| n <= MAX_GENERATE)
            .ok_or_else(|| format!("count is required (an integer 0..={MAX_GENERATE})"))?;
        let compliance =
            parse_enum(obj, "compliance_status", Compliance::parse, Compliance::NAMES)?.unwrap_or(Compliance::Failed);
        let workflow = parse_enum(obj, "workflow_status", Workflow::parse, Workflow::NAMES)?
            .unwrap_or_else(|| initial_workflow(compliance));
        let record_state =
            parse_enum(obj, "record_state", RecordState::parse, RecordState::NAMES)?.unwrap_or(RecordState::Active);
        let region = opt_str(obj, "region")?.filter(|r| !r.is_empty()).unwrap_or_else(|| self.region.clone());
        let accounts = match obj.get("account_ids") {
            None | Some(Value::Null) => vec![home.to_string()],
            Some(v) => {
                let a = account_id_list(v, "account_ids")?;
                if a.is_empty() {
                    return Err("account_ids must not be empty".into());
                }
                a
            }
        };
        let mut out = Vec::with_capacity(count as usize);
        for i in 0..count as usize {
            let account = &accounts[i % accounts.len()];
            let id = self.new_finding_id(home, &region, &control);
            out.push(Finding {
                workflow,
                record_state,
                ..Finding::new(id, account, &region, &control, compliance, now)
            });
        }
        Ok(out)
    }

    /// Control API: change one finding (`{ComplianceStatus?, WorkflowStatus?, RecordState?}`).
    /// Compliance and record state changes apply the workflow rules first; an explicit
    /// WorkflowStatus wins. UpdatedAt becomes `now` when anything changed.
    pub fn patch_finding(&mut self, home: &str, id: &str, v: &Value, now: &str) -> Result<Option<Value>, String> {
        let obj = v.as_object().ok_or("body must be a JSON object")?;
        if let Some(k) = unknown_key(obj, &["ComplianceStatus", "WorkflowStatus", "RecordState"]) {
            return Err(format!("unknown field {k:?} (ComplianceStatus|WorkflowStatus|RecordState)"));
        }
        let compliance = parse_enum(obj, "ComplianceStatus", Compliance::parse, Compliance::NAMES)?;
        let workflow = parse_enum(obj, "WorkflowStatus", Workflow::parse, Workflow::NAMES)?;
        let record = parse_enum(obj, "RecordState", RecordState::parse, RecordState::NAMES)?;
        let Some(f) = self.find_mut(home, id) else {
            return Ok(None);
        };
        let before = f.clone();
        if let Some(r) = record {
            f.set_record_state(r);
        }
        if let Some(c) = compliance {
            f.set_compliance(c);
        }
        if let Some(w) = workflow {
            f.workflow = w;
        }
        if *f != before {
            f.updated_at = now.to_string();
        }
        let f = f.clone();
        Ok(Some(f.to_json(self.controls.get(&f.control_id))))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::model::tests::{HOME, NOW};
    use super::*;

    #[test]
    fn seeding_and_patching() {
        let mut hub = Hub::default();
        let body = json!({"findings": [
            {"AwsAccountId": "222222222222", "SecurityControlId": "Inspector.2", "ComplianceStatus": "FAILED"},
            {"Id": "custom-1", "AwsAccountId": "333333333333", "SecurityControlId": "Inspector.2",
             "ComplianceStatus": "PASSED", "Region": "eu-west-1", "UpdatedAt": "2023-05-05T00:00:00Z"}
        ]});
        let ids = hub.seed(HOME, body.as_object().unwrap(), NOW).unwrap();
        assert!(ids[0].starts_with("arn:aws:securityhub:us-east-1:111111111111:security-control/Inspector.2/finding/"));
        assert_eq!(ids[1], "custom-1");
        let all = hub.findings_json(HOME);
        let c = all.iter().find(|f| f["Id"] == "custom-1").unwrap();
        assert_eq!(c["Workflow"]["Status"], "RESOLVED");
        assert_eq!(c["ProductArn"], "arn:aws:securityhub:eu-west-1::product/aws/securityhub");
        assert_eq!(c["UpdatedAt"], "2023-05-05T00:00:00Z");
        assert_eq!(c["Resources"][0]["Id"], "AWS::::Account:333333333333");
        assert_eq!(c["Title"], "Amazon Inspector ECR scanning should be enabled");
        assert_eq!(c["Severity"]["Label"], "HIGH");
        let a = all.iter().find(|f| f["Id"] == ids[0].as_str()).unwrap();
        assert_eq!(a["Workflow"]["Status"], "NEW");
        assert_eq!(a["RecordState"], "ACTIVE");
        assert_eq!(a["UpdatedAt"], NOW);
        assert!(a.get("Note").is_none());
        // All or nothing.
        let bad = json!({"findings": [
            {"AwsAccountId": "222222222222", "SecurityControlId": "Inspector.2", "ComplianceStatus": "FAILED"},
            {"AwsAccountId": "2", "SecurityControlId": "Inspector.2", "ComplianceStatus": "FAILED"}]});
        assert!(hub.seed(HOME, bad.as_object().unwrap(), NOW).is_err());
        assert!(hub
            .seed(
                HOME,
                json!({"generate": {"control_id": "X", "count": 1, "compliance_status": "BAD"}}).as_object().unwrap(),
                NOW
            )
            .is_err());
        assert_eq!(hub.store(HOME).unwrap().len(), 2);
        // Patch.
        let v = hub.patch_finding(HOME, "custom-1", &json!({"ComplianceStatus": "FAILED"}), "later").unwrap().unwrap();
        assert_eq!(v["Workflow"]["Status"], "NEW");
        assert_eq!(v["UpdatedAt"], "later");
        assert_eq!(v["CreatedAt"], "2023-05-05T00:00:00Z");
        let v = hub
            .patch_finding(
                HOME,
                "custom-1",
                &json!({"ComplianceStatus": "PASSED", "WorkflowStatus": "NOTIFIED"}),
                "later",
            )
            .unwrap()
            .unwrap();
        assert_eq!(v["Workflow"]["Status"], "NOTIFIED");
        assert_eq!(v["WorkflowState"], "ASSIGNED");
        assert!(hub.patch_finding(HOME, "nope", &json!({}), NOW).unwrap().is_none());
        assert!(hub.patch_finding(HOME, "custom-1", &json!({"Bogus": 1}), NOW).is_err());
    }
}
