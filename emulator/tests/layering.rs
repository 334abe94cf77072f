//! The crate's layering, as the module doc of lib.rs states it: every `crate::...` a module uses
//! names a module on a lower layer, so there are no import loops.

use std::collections::BTreeMap;
use std::path::Path;

/// Module name -> layer, from the numbered list in lib.rs's module doc.
fn layers(lib: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    let mut layer = None;
    for line in lib.lines().filter_map(|l| l.strip_prefix("//!")) {
        let text = line.trim_start();
        if let Some((n, _)) = text.split_once(". ").filter(|(n, _)| n.parse::<usize>().is_ok()) {
            layer = n.parse().ok();
        } else if !line.starts_with("    ") {
            layer = None; // the list has ended
        }
        let Some(layer) = layer else { continue };
        // Module names are the first backticked word of each item: `name` (...).
        for name in text.split('`').skip(1).step_by(2) {
            if name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
                out.entry(name.to_string()).or_insert(layer);
            }
        }
    }
    out
}

/// The modules named by `crate::name` outside comments.
fn crate_uses(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in source.lines().filter(|l| !l.trim_start().starts_with("//")) {
        for part in line.split("crate::").skip(1) {
            // `crate::{a, b}` names several modules.
            let names = match part.strip_prefix('{') {
                Some(list) => list.split('}').next().unwrap_or_default().split(',').collect(),
                None => vec![part],
            };
            for name in names {
                let name: String = name.trim().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                out.push(name);
            }
        }
    }
    out
}

#[test]
fn every_crate_use_points_down() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let layers = layers(&std::fs::read_to_string(src.join("lib.rs")).expect("lib.rs"));
    assert!(layers.len() >= 15, "could not read the layers from lib.rs: {layers:?}");
    let mut checked = 0;
    for (module, layer) in &layers {
        let file = src.join(format!("{module}.rs"));
        let file = if file.exists() { file } else { src.join(module).join("mod.rs") };
        let mut sources = vec![std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))];
        if file.ends_with("mod.rs") {
            for entry in std::fs::read_dir(src.join(module)).expect("module dir") {
                sources.push(std::fs::read_to_string(entry.expect("dir entry").path()).expect("source"));
            }
        }
        for used in sources.iter().flat_map(|s| crate_uses(s)) {
            let used_layer = layers.get(&used).unwrap_or_else(|| panic!("{module} uses crate::{used}, on no layer"));
            assert!(used_layer < layer, "{module} (layer {layer}) uses crate::{used} (layer {used_layer})");
            checked += 1;
        }
    }
    assert!(checked > 30, "only {checked} uses checked");
}

#[test]
fn every_module_has_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).expect("lib.rs");
    let layers = layers(&lib);
    let declared: Vec<&str> = lib.lines().filter_map(|l| l.strip_prefix("pub mod ")?.strip_suffix(';')).collect();
    assert!(!declared.is_empty());
    for m in declared {
        assert!(layers.contains_key(m), "module {m} is on no layer in lib.rs's doc");
    }
}
