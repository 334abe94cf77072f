//! The crate's layering, as the module doc of lib.rs states it: every `crate::...` a module uses
//! names a module on a lower layer, so there are no import loops. Modules are named by path
//! (`model::world`); a `crate::` path counts as a use of the longest layered module it starts
//! with. A folder (`model/`, `services/`) whose `mod.rs` is on no layer only declares modules.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Module path -> layer, from the numbered list in lib.rs's module doc.
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
        // Module paths are the backticked words of each item: `name` or `folder::name` (...).
        for name in text.split('`').skip(1).step_by(2) {
            if !name.is_empty()
                && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == ':')
            {
                out.entry(name.to_string()).or_insert(layer);
            }
        }
    }
    out
}

/// The `crate::` paths named outside comments, groups (`crate::a::{b, c::d}`) expanded.
fn crate_paths(source: &str) -> Vec<String> {
    let path_char = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == ':';
    let mut out = Vec::new();
    for line in source.lines().filter(|l| !l.trim_start().starts_with("//")) {
        for part in line.split("crate::").skip(1) {
            let prefix: String = part.chars().take_while(|c| path_char(*c)).collect();
            match part[prefix.len()..].strip_prefix('{') {
                Some(group) => {
                    for item in group.split('}').next().unwrap_or_default().split(',') {
                        let item: String = item.trim().chars().take_while(|c| path_char(*c)).collect();
                        out.push(format!("{prefix}{item}"));
                    }
                }
                None => out.push(prefix),
            }
        }
    }
    out
}

/// The layered module a path names: its longest prefix (by `::` segments) that is on a layer.
fn module_of<'a>(path: &str, layers: &'a BTreeMap<String, usize>) -> Option<(&'a String, usize)> {
    let segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    (1..=segments.len()).rev().find_map(|n| layers.get_key_value(&segments[..n].join("::")).map(|(k, v)| (k, *v)))
}

/// The sources of a layered module: its file, or its folder's `mod.rs` and, when none of its
/// children is layered on its own, every file below it.
fn sources(src: &Path, module: &str, layers: &BTreeMap<String, usize>) -> Vec<(PathBuf, String)> {
    let rel = module.replace("::", "/");
    let file = src.join(format!("{rel}.rs"));
    let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    if file.exists() {
        return vec![(file.clone(), read(&file))];
    }
    let dir = src.join(&rel);
    let children_layered = layers.keys().any(|k| k.starts_with(&format!("{module}::")));
    if children_layered {
        let m = dir.join("mod.rs");
        return vec![(m.clone(), read(&m))];
    }
    let mut out = Vec::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let p = entry.expect("dir entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), read(&p)));
            }
        }
    }
    out
}

#[test]
fn every_crate_use_points_down() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let layers = layers(&std::fs::read_to_string(src.join("lib.rs")).expect("lib.rs"));
    assert!(layers.len() >= 30, "could not read the layers from lib.rs: {layers:?}");
    let mut checked = 0;
    for (module, layer) in &layers {
        for (file, source) in sources(&src, module, &layers) {
            for used in crate_paths(&source) {
                let (name, used_layer) = module_of(&used, &layers)
                    .unwrap_or_else(|| panic!("{} uses crate::{used}, on no layer", file.display()));
                if name == module {
                    continue; // a flat folder module's files using each other by full path
                }
                assert!(
                    used_layer < *layer,
                    "{module} (layer {layer}) uses crate::{used} ({name}, layer {used_layer})"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 60, "only {checked} uses checked");
}

/// `pub mod` declarations of a file.
fn declared(source: &str) -> Vec<String> {
    source.lines().filter_map(|l| l.strip_prefix("pub mod ")?.strip_suffix(';')).map(str::to_string).collect()
}

#[test]
fn every_module_has_a_layer_and_folders_only_declare() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).expect("lib.rs");
    let layers = layers(&lib);
    let mut seen = 0;
    for top in declared(&lib) {
        if layers.contains_key(&top) {
            seen += 1;
            // A layered folder module (control): each child it declares is on a layer too.
            if let Ok(mod_rs) = std::fs::read_to_string(src.join(&top).join("mod.rs")) {
                for child in declared(&mod_rs) {
                    assert!(layers.contains_key(&format!("{top}::{child}")), "module {top}::{child} is on no layer");
                    seen += 1;
                }
            }
            continue;
        }
        // A folder of modules: its mod.rs holds docs and declarations only, each child on a layer.
        let mod_rs = std::fs::read_to_string(src.join(&top).join("mod.rs"))
            .unwrap_or_else(|e| panic!("module {top} is on no layer in lib.rs's doc and is no folder: {e}"));
        for line in mod_rs.lines().filter(|l| !l.trim().is_empty() && !l.starts_with("//!")) {
            assert!(line.starts_with("pub mod "), "{top}/mod.rs does more than declare modules: {line}");
        }
        for child in declared(&mod_rs) {
            assert!(layers.contains_key(&format!("{top}::{child}")), "module {top}::{child} is on no layer");
            seen += 1;
        }
    }
    assert!(seen >= 30, "only {seen} modules found");
}

#[test]
fn paths_are_read_as_modules() {
    let layers: BTreeMap<String, usize> =
        [("model::world".to_string(), 4), ("util".to_string(), 1), ("control".to_string(), 6)].into_iter().collect();
    let uses = crate_paths("use crate::model::world::{World, X};\nuse crate::{util, control::x};\n// crate::nope");
    assert_eq!(uses, ["model::world::World", "model::world::X", "util", "control::x"]);
    let found: Vec<Option<usize>> = uses.iter().map(|u| module_of(u, &layers).map(|(_, l)| l)).collect();
    assert_eq!(found, [Some(4), Some(4), Some(1), Some(6)]);
    assert_eq!(module_of("model::other", &layers), None);
}
