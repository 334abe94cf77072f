//! One account's Amazon ECR private registry, for DescribeRepositories and DescribeImages:
//! repositories and their images' push and last-pull dates. Plain data, seeded by tests.

use std::collections::BTreeMap;

use serde_json::{json, Value};

#[derive(Clone, Debug, PartialEq)]
pub struct Image {
    pub digest: String,
    /// Seconds since the Unix epoch (ECR's `imagePushedAt`).
    pub pushed_at: Option<f64>,
    /// ECR's `lastRecordedPullTime`.
    pub last_pulled_at: Option<f64>,
}

/// Repository name -> images, in seed order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Registry {
    pub repositories: BTreeMap<String, Vec<Image>>,
}

fn time(v: &Value, field: &str) -> Result<Option<f64>, String> {
    match v {
        Value::Null => Ok(None),
        v => v.as_f64().filter(|t| *t >= 0.0).map(Some).ok_or(format!("{field}: expected seconds since the epoch")),
    }
}

impl Registry {
    /// `{"repositories": {"name": [{"pushed_at": 1.7e9, "last_pulled_at": null}, ...]}}`.
    pub fn parse(v: &Value) -> Result<Registry, String> {
        let repos =
            v.get("repositories").and_then(Value::as_object).ok_or("expected {\"repositories\": {name: [images]}}")?;
        let mut out = Registry::default();
        for (name, images) in repos {
            let list = images.as_array().ok_or(format!("repositories.{name}: expected a list of images"))?;
            let mut parsed = Vec::with_capacity(list.len());
            for (i, img) in list.iter().enumerate() {
                let at = |f: &str| time(img.get(f).unwrap_or(&Value::Null), &format!("repositories.{name}[{i}].{f}"));
                parsed.push(Image {
                    digest: format!("sha256:{:064x}", (out.repositories.len() as u64) << 32 | i as u64),
                    pushed_at: at("pushed_at")?,
                    last_pulled_at: at("last_pulled_at")?,
                });
            }
            out.repositories.insert(name.clone(), parsed);
        }
        Ok(out)
    }

    pub fn to_json(&self) -> Value {
        let repos: serde_json::Map<String, Value> = self
            .repositories
            .iter()
            .map(|(n, imgs)| {
                let list: Vec<Value> = imgs
                    .iter()
                    .map(|i| json!({"digest": i.digest, "pushed_at": i.pushed_at, "last_pulled_at": i.last_pulled_at}))
                    .collect();
                (n.clone(), Value::Array(list))
            })
            .collect();
        json!({"repositories": repos})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_view() {
        let r = Registry::parse(
            &json!({"repositories": {"app": [{"pushed_at": 100.0, "last_pulled_at": null}, {"pushed_at": 5}]}}),
        )
        .unwrap();
        assert_eq!(r.repositories["app"].len(), 2);
        assert_eq!(r.repositories["app"][1].pushed_at, Some(5.0));
        assert_ne!(r.repositories["app"][0].digest, r.repositories["app"][1].digest);
        assert_eq!(r.to_json()["repositories"]["app"][0]["pushed_at"], 100.0);
        assert!(Registry::parse(&json!({"repositories": {"app": [{"pushed_at": "x"}]}})).is_err());
        assert!(Registry::parse(&json!({})).is_err());
    }
}
