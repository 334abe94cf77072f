//! The control API's view and changes of what governs Security Hub controls in the selected
//! Region: each account's enabled standards, its standards control associations (a control
//! ENABLED or DISABLED per standard, with a reason), and the organization configuration type.

use serde_json::{json, Map, Value};

use crate::model::findings::{Association, INSPECTOR2_CONTROL, STANDARDS};
use crate::model::world::World;
use crate::util::{account_id, iso8601_ms, unix_now_ms, unknown_key};

/// `{account_id, region, control_id, standards, associations: [{standard, status, reason, updated_at}]}`.
pub fn view(w: &World, account: &str, control: &str) -> Value {
    let hub = &w.here().securityhub.associations;
    let standards = hub.standards_of(account);
    let list: Vec<Value> = standards
        .iter()
        .map(|s| match hub.get(account, control, s) {
            Some(a) => json!({"standard": s, "status": if a.enabled { "ENABLED" } else { "DISABLED" },
                "reason": a.reason, "updated_at": a.updated_at}),
            None => json!({"standard": s, "status": "ENABLED", "reason": null, "updated_at": null}),
        })
        .collect();
    json!({"account_id": account, "region": w.region(), "control_id": control, "standards": standards,
        "associations": list, "control_disabled": hub.control_disabled(account, control)})
}

fn standard_list(v: &Value, field: &str) -> Result<Vec<String>, String> {
    let list = v.as_array().ok_or_else(|| format!("{field}: expected a list of standards {STANDARDS:?}"))?;
    list.iter()
        .map(|s| match s.as_str() {
            Some(s) if STANDARDS.contains(&s) => Ok(s.to_string()),
            _ => Err(format!("{field}: {s} is not one of {STANDARDS:?}")),
        })
        .collect()
}

/// `PUT /_emulator/securityhub/associations/{account}`: `{"status": "ENABLED"|"DISABLED",
/// "control_id"?: default Inspector.2, "reason"?, "standards"?: default every enabled standard}`,
/// as UpdateStandardsControlAssociations or a central configuration policy would. All or nothing.
pub fn set_association(w: &mut World, account: &str, v: &Value) -> Result<Value, String> {
    let obj: &Map<String, Value> = v.as_object().ok_or("expected a JSON object")?;
    if let Some(k) = unknown_key(obj, &["status", "control_id", "reason", "standards"]) {
        return Err(format!("unknown field {k:?} (status|control_id|reason|standards)"));
    }
    let enabled = match obj.get("status").and_then(Value::as_str) {
        Some("ENABLED") => true,
        Some("DISABLED") => false,
        _ => return Err("status: expected \"ENABLED\" or \"DISABLED\"".into()),
    };
    let control = match obj.get("control_id") {
        None | Some(Value::Null) => INSPECTOR2_CONTROL.to_string(),
        Some(c) => c.as_str().ok_or("control_id: expected a control id")?.to_string(),
    };
    if !w.here().securityhub.controls.contains_key(&control) {
        return Err(format!("control_id: no control {control:?} (add it with POST /_emulator/securityhub/controls)"));
    }
    let reason = match obj.get("reason") {
        None | Some(Value::Null) => None,
        Some(r) => Some(r.as_str().filter(|r| !r.is_empty()).ok_or("reason: expected a non-empty string")?.to_string()),
    };
    let standards = match obj.get("standards") {
        None | Some(Value::Null) => w.here().securityhub.associations.standards_of(account),
        Some(s) => standard_list(s, "standards")?,
    };
    let updated_at = iso8601_ms(unix_now_ms());
    for s in &standards {
        let a = Association { enabled, reason: reason.clone(), updated_at: updated_at.clone() };
        w.here_mut().securityhub.associations.set(account, &control, s, a);
    }
    Ok(view(w, account, &control))
}

/// `PUT /_emulator/securityhub/standards/{account}`: `{"standards": [...]}`, the account's enabled
/// standards (by default FSBP only).
pub fn set_standards(w: &mut World, account: &str, v: &Value) -> Result<Value, String> {
    let obj = v.as_object().ok_or("expected {\"standards\": [...]}")?;
    if let Some(k) = unknown_key(obj, &["standards"]) {
        return Err(format!("unknown field {k:?} (standards)"));
    }
    let standards = standard_list(obj.get("standards").ok_or("standards is required")?, "standards")?;
    w.here_mut().securityhub.associations.set_standards(account, standards);
    Ok(view(w, account, INSPECTOR2_CONTROL))
}

/// `{region, configuration_type, admin}` of Security Hub's organization configuration.
pub fn organization_view(w: &World) -> Value {
    let o = &w.here().securityhub.organization;
    json!({"region": w.region(), "configuration_type": o.configuration_type, "admin": o.admin})
}

/// `PUT /_emulator/securityhub/organization`: any of `configuration_type` (CENTRAL or LOCAL) and
/// `admin` (an account id, or null for the Region's Inspector delegated administrator).
pub fn set_organization(w: &mut World, v: &Value) -> Result<Value, String> {
    let obj = v.as_object().ok_or("expected a JSON object")?;
    if let Some(k) = unknown_key(obj, &["configuration_type", "admin"]) {
        return Err(format!("unknown field {k:?} (configuration_type|admin)"));
    }
    let mut o = w.here().securityhub.organization.clone();
    if let Some(t) = obj.get("configuration_type") {
        o.configuration_type = match t.as_str() {
            Some(t @ ("CENTRAL" | "LOCAL")) => t.to_string(),
            _ => return Err(format!("configuration_type: expected \"CENTRAL\" or \"LOCAL\", got {t}")),
        };
    }
    if let Some(a) = obj.get("admin") {
        o.admin = if a.is_null() { None } else { Some(account_id(a, "admin")?) };
    }
    w.here_mut().securityhub.organization = o;
    Ok(organization_view(w))
}
