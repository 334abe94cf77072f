//! Figure group 7, account-list shapes: Terraform alone (no AWS, no inspector2fix) holding N account
//! ids in each candidate shape, to choose the shape of `account_ids` and `status` (issue 10). The
//! shapes are attributes of the echo fixture (testsupport/src/bin/terraform-provider-echo.rs), whose
//! plans and applies return what they are given, and Terraform's built-in `terraform_data`.

use std::path::{Path, PathBuf};

use testsupport::{accounts, echo_provider, hcl_list, Run, Workspace};

use crate::measure::{expect_code, progress, timed};
use crate::process::RssSampler;
use crate::report::{Report, Row};
use crate::stats::{mb, ms, ratio, thousands, Stats};
use crate::Plan;

const FIRST: u64 = 300_000_000_000;
/// The id that replaces one element in the "one changed" plan.
const CHANGED: &str = "999999999999";
/// A shape whose create took more than this many times the fastest shape's at one size is not
/// run at the larger sizes: set-like shapes grow quadratically (hashicorp/terraform#32940), and at
/// 10,000 would take many minutes each, to confirm what the smaller size already decided.
const SKIP_FACTOR: f64 = 10.0;

#[derive(Clone, Copy)]
enum Shape {
    Set,
    List,
    Map,
    NestedSet,
    DataList,
    DataSet,
}

impl Shape {
    const ALL: [Shape; 6] = [Shape::Set, Shape::List, Shape::Map, Shape::NestedSet, Shape::DataList, Shape::DataSet];

    fn name(self) -> &'static str {
        match self {
            Shape::Set => "set(string)",
            Shape::List => "list(string)",
            Shape::Map => "map(string), id => \"ENABLED\"",
            Shape::NestedSet => "set of nested blocks `item { id }`",
            Shape::DataList => "`terraform_data`, input = list",
            Shape::DataSet => "`terraform_data`, input = toset(list)",
        }
    }

    /// main.tf holding `ids` in this shape.
    fn config(self, ids: &[String]) -> String {
        let list = hcl_list(ids);
        match self {
            Shape::Set => echo(format!("  set = {list}")),
            Shape::List => echo(format!("  list = {list}")),
            Shape::Map => echo_map(ids.iter().map(|i| (i.as_str(), "ENABLED"))),
            Shape::NestedSet => echo(format!(
                "  dynamic \"item\" {{\n    for_each = toset({list})\n    content {{\n      id = item.value\n    }}\n  }}"
            )),
            Shape::DataList => format!("resource \"terraform_data\" \"this\" {{\n  input = {list}\n}}\n"),
            Shape::DataSet => format!("resource \"terraform_data\" \"this\" {{\n  input = toset({list})\n}}\n"),
        }
    }
}

/// main.tf of one `echo_shapes` resource whose body is `body`.
fn echo(body: String) -> String {
    format!(
        "terraform {{\n  required_providers {{\n    echo = {{ source = \"inspector2fix/echo\" }}\n  }}\n}}\n\n\
         resource \"echo_shapes\" \"this\" {{\n{body}\n}}\n"
    )
}

/// main.tf of one `echo_shapes` resource holding `entries` in its `map`.
pub fn echo_map<'a>(entries: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let lines: Vec<String> = entries.map(|(k, v)| format!("    \"{k}\" = \"{v}\"")).collect();
    echo(format!("  map = {{\n{}\n  }}", lines.join("\n")))
}

#[derive(Default)]
struct ShapeResult {
    create: Stats,
    create_tf_rss: Stats,
    unchanged: Stats,
    unchanged_tf_rss: Stats,
    changed: Stats,
    changed_tf_rss: Stats,
    changed_bytes: Stats,
}

fn is_terraform(name: &str) -> bool {
    name == "terraform" || name == "tofu"
}

/// `f` timed, with Terraform's peak RSS in kB.
fn sampled(f: impl FnOnce() -> Run) -> (Run, f64, f64) {
    let sampler = RssSampler::start_for(is_terraform);
    let (run, wall) = timed(f);
    let (peak, _) = sampler.finish();
    (run, wall, peak as f64)
}

/// A workspace whose Terraform takes the echo provider from `echo_dir` (dev_overrides).
pub fn echo_workspace(echo_bin: &Path) -> Workspace {
    let ws = Workspace::new(echo_bin, "bench-shape", "http://127.0.0.1:1");
    let dir = echo_bin.parent().expect("the echo provider's directory");
    let rc = format!(
        "provider_installation {{\n  dev_overrides {{\n    \"registry.terraform.io/inspector2fix/echo\" = \"{}\"\n  }}\n  direct {{}}\n}}\n",
        dir.display()
    );
    std::fs::write(ws.dir.join("terraformrc"), rc).expect("write terraformrc");
    ws
}

fn plan(ws: &Workspace) -> Run {
    ws.tf(&["plan", "-detailed-exitcode", "-no-color", "-input=false"])
}

/// One run of `shape` at `n`: create, a plan with no change, a plan with one id replaced.
fn run_once(echo_bin: &Path, shape: Shape, ids: &[String], r: &mut ShapeResult) {
    let ws = echo_workspace(echo_bin);
    ws.write_main_tf(&shape.config(ids));
    let (run, wall, rss) = sampled(|| ws.apply());
    expect_code(run, &[0], "create");
    r.create.push(wall);
    r.create_tf_rss.push(rss);
    let (run, wall, rss) = sampled(|| plan(&ws));
    expect_code(run, &[0], "a plan with no change");
    r.unchanged.push(wall);
    r.unchanged_tf_rss.push(rss);
    let mut one_changed = ids.to_vec();
    let middle = one_changed.len() / 2;
    one_changed[middle] = CHANGED.to_owned();
    ws.write_main_tf(&shape.config(&one_changed));
    let (run, wall, rss) = sampled(|| plan(&ws));
    let run = expect_code(run, &[2], "a plan with one id changed");
    assert!(run.stdout.contains(CHANGED), "the plan does not show the changed id:\n{}", run.stdout);
    r.changed.push(wall);
    r.changed_tf_rss.push(rss);
    r.changed_bytes.push(run.stdout.len() as f64);
}

fn kb(bytes: f64) -> String {
    if bytes < 10_000.0 {
        format!("{bytes:.0} B")
    } else {
        format!("{:.0} kB", bytes / 1000.0)
    }
}

fn row(n: usize, shape: Shape, r: &ShapeResult) -> Row {
    Row::new(
        format!("N = {}: {}", thousands(n), shape.name()),
        format!(
            "create {} (TF {}); no change {} (TF {}); one changed {} (TF {}, plan {})",
            r.create.show(ms),
            mb(r.create_tf_rss.median()),
            r.unchanged.show(ms),
            mb(r.unchanged_tf_rss.median()),
            r.changed.show(ms),
            mb(r.changed_tf_rss.median()),
            kb(r.changed_bytes.median())
        ),
    )
}

pub fn shapes(plan: &Plan, report: &mut Report) {
    let echo_bin: PathBuf = echo_provider();
    let mut rows = Vec::new();
    // Why a shape is out of the running, once it is.
    let mut dropped: [Option<String>; Shape::ALL.len()] = Default::default();
    for &n in &plan.shape_sizes {
        let ids = accounts(n, FIRST);
        let mut creates = [f64::NAN; Shape::ALL.len()];
        for (i, shape) in Shape::ALL.into_iter().enumerate() {
            if let Some(why) = &dropped[i] {
                rows.push(Row::new(format!("N = {}: {}", thousands(n), shape.name()), why.clone()));
                continue;
            }
            progress(&format!("shapes: {} at N = {n}", shape.name()));
            let mut r = ShapeResult::default();
            for _ in 0..plan.shape_runs {
                run_once(&echo_bin, shape, &ids, &mut r);
            }
            creates[i] = r.create.median();
            let row = row(n, shape, &r);
            progress(&format!("shapes: {}: {}", row.figure, row.ours));
            rows.push(row);
        }
        let fastest = creates.iter().copied().filter(|c| !c.is_nan()).fold(f64::INFINITY, f64::min);
        for (i, create) in creates.into_iter().enumerate() {
            if create > SKIP_FACTOR * fastest {
                dropped[i] = Some(format!(
                    "not run: its create took {} at N = {}, {} the fastest shape's",
                    ms(create),
                    thousands(n),
                    ratio(create / fastest)
                ));
            }
        }
    }
    report.method.push(format!(
        "Shapes: Terraform alone with N account ids in one attribute, no AWS involved: the echo fixture provider \
         (`testsupport/src/bin/terraform-provider-echo.rs`; its plans and applies return what they are given) with a \
         set, a list, a map (id => \"ENABLED\") or a set of nested blocks, and the built-in `terraform_data` with a list \
         or a set as input. Per run, a fresh workspace: `apply` (create), `plan` with no change (exit 0 checked), then \
         `plan` with the middle id replaced (exit 2 and the new id in its output checked). TF = Terraform's own peak RSS \
         (VmHWM of the `terraform` process, sampled every 3 ms); plan = the size of that plan's output. A shape whose \
         create took more than {SKIP_FACTOR}× the fastest shape's at one size is not run at the larger sizes. {} run(s) \
         per shape and N.",
        plan.shape_runs
    ));
    report.section("7. Account-list shapes: Terraform alone (echo provider, no AWS)", rows);
}
