//! Data source `inspector2fix_ecr_scan_estimate`: "what will enabling ECR scanning cost?" for the
//! provider's account and Region, from ECR's image dates, the rescan durations and prices the
//! user passes in. The arithmetic lives in `crate::domain::estimate`.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeConstraint as C, AttributeType as T, Block, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, DataSource, Diagnostics};

use crate::aws::clients::Clients;
use crate::domain::estimate::{self, Durations, Prices};
use crate::domain::rescan::{explain, EcrRescanConfig, Setting};
use crate::terraform::schema::{attribute, region_attribute, RegionOf};
use crate::terraform::shared::Shared;
use crate::{terraform::diag, terraform::region};

const NAME: &str = "inspector2fix_ecr_scan_estimate";

/// A Terraform number as it arrives: Terraform sends a number that float64 cannot hold exactly
/// (0.11) as its decimal text, so all three forms are accepted and echoed back unchanged.
#[derive(Clone, Debug, PartialEq)]
pub enum Number {
    Int(i64),
    Float(f64),
    Text(String),
}

impl Number {
    fn text(&self) -> String {
        match self {
            Number::Int(i) => i.to_string(),
            Number::Float(f) => f.to_string(),
            Number::Text(t) => t.clone(),
        }
    }
}

impl Serialize for Number {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Number::Int(i) => s.serialize_i64(*i),
            Number::Float(f) => s.serialize_f64(*f),
            Number::Text(t) => s.serialize_str(t),
        }
    }
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Number;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number")
            }
            fn visit_i64<E>(self, v: i64) -> Result<Number, E> {
                Ok(Number::Int(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Number, E> {
                i64::try_from(v).map(Number::Int).map_err(|_| E::custom("number too large"))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Number, E> {
                Ok(Number::Float(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Number, E> {
                Ok(Number::Text(v.to_owned()))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    pub id: Value<String>,
    pub price_per_image_scan: Value<Number>,
    pub price_per_rescan: Value<Number>,
    pub rescans_per_image_per_month: Value<Number>,
    pub rescan_duration: Value<String>,
    pub pull_date_rescan_duration: Value<String>,
    pub images: Value<i64>,
    pub initial_scan_images: Value<i64>,
    pub continuous_rescan_images: Value<i64>,
    pub images_pushed_last_30_days: Value<i64>,
    pub initial_scan_cost: Value<f64>,
    pub estimated_monthly_cost: Value<f64>,
    pub region: Value<String>,
}

const NUMBERS: [&str; 3] = ["price_per_image_scan", "price_per_rescan", "rescans_per_image_per_month"];

impl State {
    fn number(&self, name: &str) -> &Value<Number> {
        match name {
            "price_per_image_scan" => &self.price_per_image_scan,
            "price_per_rescan" => &self.price_per_rescan,
            _ => &self.rescans_per_image_per_month,
        }
    }

    /// The input `name` in millionths, within its bound; the error names it.
    fn micro(&self, name: &str) -> Result<Option<i64>, String> {
        let max = if name == "rescans_per_image_per_month" {
            estimate::MAX_RESCANS_PER_MONTH
        } else {
            estimate::MAX_PRICE_USD
        };
        match self.number(name) {
            Value::Value(n) => estimate::bounded_micro(name, &n.text(), max).map(Some),
            _ => Ok(None),
        }
    }
}

/// Checks the inputs with their paths; no AWS call.
pub fn check(diags: &mut Diagnostics, config: &State) {
    for name in NUMBERS {
        if let Err(e) = config.micro(name) {
            diag::attr_error(diags, AttributePath::new(name), format!("Invalid {name}"), e);
        }
    }
    for (s, v) in [
        (Setting::RescanDuration, &config.rescan_duration),
        (Setting::PullDateRescanDuration, &config.pull_date_rescan_duration),
    ] {
        if let Value::Value(v) = v {
            if let Err(e) = s.check(v) {
                let name = s.attribute();
                diag::attr_error(diags, AttributePath::new(name), format!("Invalid {name}"), format!("{name}: {e}"));
            }
        }
    }
}

pub struct EcrScanEstimate {
    shared: Arc<Shared>,
}

fn count_attr(description: &str) -> tf_provider::schema::Attribute {
    attribute(T::Number, C::Computed, description)
}

impl EcrScanEstimate {
    pub fn new(shared: Arc<Shared>) -> Self {
        EcrScanEstimate { shared }
    }

    pub fn schema_block() -> Block {
        let price = |d: &str| attribute(T::Number, C::Required, d);
        let duration = |d: &str| attribute(T::String, C::OptionalComputed, d);
        crate::terraform::schema::block(
            "An estimate, not a quote, of what Amazon Inspector ECR scanning costs in the provider's account, in `region`, \
             from the push and last-pull dates of the images in its ECR private registry, the rescan durations and the \
             prices you pass in. See the documentation for what it leaves out.",
            [
                ("id", attribute(T::String, C::Computed, "`ACCOUNT_ID@REGION` the estimate is for.")),
                ("price_per_image_scan", price("USD per image scan (initial scan, and each newly pushed image), from the Amazon Inspector pricing page for the Region.")),
                ("price_per_rescan", price("USD per image rescan, from the Amazon Inspector pricing page for the Region.")),
                ("rescans_per_image_per_month", price("How many times a month an image is rescanned. Inspector rescans when new vulnerability data affects an image, so this is your assumption.")),
                ("rescan_duration", duration("Push-date rescan duration to estimate with. Default: the account's current setting (GetConfiguration).")),
                ("pull_date_rescan_duration", duration("Pull-date rescan duration to estimate with. Default: the account's current setting.")),
                ("images", count_attr("Images in the registry.")),
                ("initial_scan_images", count_attr("Images the first scan covers: pushed within 30 days or pulled within 90.")),
                ("continuous_rescan_images", count_attr("Of those, images the rescan durations keep under continuous rescanning.")),
                ("images_pushed_last_30_days", count_attr("Images pushed in the last 30 days: the monthly pace of new image scans.")),
                ("initial_scan_cost", attribute(T::Number, C::Computed, "USD, once: `initial_scan_images` x `price_per_image_scan`.")),
                (
                    "estimated_monthly_cost",
                    attribute(T::Number, C::Computed, "USD a month: `images_pushed_last_30_days` x `price_per_image_scan` + `continuous_rescan_images` x `rescans_per_image_per_month` x `price_per_rescan`."),
                ),
                ("region", region_attribute(RegionOf::DataSource)),
            ],
        )
    }

    /// The durations to estimate with: the configured ones, the rest from GetConfiguration.
    async fn durations(&self, diags: &mut Diagnostics, config: &State, clients: &Clients) -> Option<(String, String)> {
        let given = (
            config.rescan_duration.as_ref_option().cloned(),
            config.pull_date_rescan_duration.as_ref_option().cloned(),
        );
        if let (Some(push), Some(pull)) = given.clone() {
            return Some((push, pull));
        }
        let current: EcrRescanConfig = match clients.inspector.ecr_rescan_configuration().await {
            Ok(c) => c,
            Err(e) => {
                let caller = self.shared.caller_account().await.ok();
                let hint = "; or set rescan_duration and pull_date_rescan_duration to estimate without reading them";
                diag::error(
                    diags,
                    format!("{NAME}: cannot read the rescan settings"),
                    explain(&e, caller.as_deref()) + hint,
                );
                return None;
            }
        };
        let push = given.0.or(current.rescan_duration);
        let pull = given.1.or(current.pull_date_rescan_duration);
        match (push, pull) {
            (Some(push), Some(pull)) => Some((push, pull)),
            _ => {
                diag::error(
                    diags,
                    format!("{NAME}: rescan settings unknown"),
                    "rescan_duration, pull_date_rescan_duration: Inspector reported no value; set them",
                );
                None
            }
        }
    }
}

fn now_secs() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or_default()
}

#[async_trait]
impl DataSource for EcrScanEstimate {
    type State<'a> = State;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Schema { version: 0, block: Self::schema_block() })
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: State) -> Option<()> {
        check(diags, &config);
        region::check(diags, &config.region);
        Some(())
    }

    async fn read<'a>(&self, diags: &mut Diagnostics, config: State, _meta: ValueEmpty) -> Option<State> {
        check(diags, &config);
        let prices = Prices {
            image_scan_micro_usd: config.micro("price_per_image_scan").ok().flatten()?,
            rescan_micro_usd: config.micro("price_per_rescan").ok().flatten()?,
            rescans_per_month_micro: config.micro("rescans_per_image_per_month").ok().flatten()?,
        };
        let region = region::to_read(&self.shared, diags, &config.region).await?;
        let clients = self.shared.clients_in_or_error(diags, Some(&region)).await?;
        let (push, pull) = self.durations(diags, &config, &clients).await?;
        let durations = match (estimate::days(&push), estimate::days(&pull)) {
            (Ok(push_days), Ok(Some(pull_days))) => Durations { push_days, pull_days },
            _ => {
                diag::error(diags, format!("{NAME}: unusable durations"), format!("rescan_duration {push:?}, pull_date_rescan_duration {pull:?}: not DAYS_<n> (or LIFETIME for the push date)"));
                return None;
            }
        };
        let account = match self.shared.caller_account().await {
            Ok(a) => a,
            Err(e) => {
                diag::error(diags, format!("{NAME}: cannot tell the provider's account"), e.to_string());
                return None;
            }
        };
        let images = match clients.ecr.image_dates().await {
            Ok(i) => i,
            Err(e) => {
                diag::error(
                    diags,
                    format!("{NAME}: cannot list the ECR images"),
                    format!("{}: {}: {}", e.operation, e.code.as_deref().unwrap_or("error"), e.message),
                );
                return None;
            }
        };
        let counts = estimate::count(&images, now_secs(), durations);
        let costs = match estimate::costs(&counts, &prices) {
            Ok(c) => c,
            Err(e) => {
                diag::error(diags, format!("{NAME}: cannot compute the estimate"), e);
                return None;
            }
        };
        let n = |v: u64| i64::try_from(v).map(Value::Value);
        let (Ok(images), Ok(initial), Ok(continuous), Ok(pushed)) = (
            n(counts.images),
            n(counts.initial_scan_images),
            n(counts.continuous_rescan_images),
            n(counts.pushed_last_30_days),
        ) else {
            diag::error(
                diags,
                format!("{NAME}: cannot compute the estimate"),
                "the image count does not fit in a number",
            );
            return None;
        };
        Some(State {
            id: Value::Value(format!("{account}@{}", clients.region)),
            rescan_duration: Value::Value(push),
            pull_date_rescan_duration: Value::Value(pull),
            images,
            initial_scan_images: initial,
            continuous_rescan_images: continuous,
            images_pushed_last_30_days: pushed,
            initial_scan_cost: Value::Value(estimate::dollars(costs.initial_scan_micro_usd)),
            estimated_monthly_cost: Value::Value(estimate::dollars(costs.monthly_micro_usd)),
            region: Value::Value(region),
            ..config
        })
    }
}

#[cfg(test)]
mod tests;
