//! The architecture's rules (ARCHITECTURE.md), checked rather than only written: which
//! crate may depend on which, and what each `lib.rs` says it is for.

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// The names in a manifest's `[dependencies]` table (not dev- or build-dependencies),
/// except those only the `ts` feature turns on: tsify and wasm-bindgen, optional, for the
/// TypeScript declarations of the npm package's WebAssembly build
/// (`ts_feature_is_the_only_way_to_wasm_bindgen` checks that they stay so).
fn dependencies(krate: &str) -> Vec<String> {
    manifest_dependencies(krate)
        .into_iter()
        .filter(|(name, line)| !(ts_only(krate, name) && line.contains("optional = true")))
        .map(|(name, _)| name)
        .collect()
}

/// `[dependencies]` entries: (name, the whole line).
fn manifest_dependencies(krate: &str) -> Vec<(String, String)> {
    let path = format!("{ROOT}/crates/{krate}/Cargo.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut out = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            inside = line == "[dependencies]";
            continue;
        }
        if inside && !line.is_empty() && !line.starts_with('#') {
            if let Some((name, _)) = line.split_once('=') {
                out.push((name.trim().to_string(), line.to_string()));
            }
        }
    }
    out
}

/// Whether `dep:<name>` is named by the `ts` feature and by no other feature.
fn ts_only(krate: &str, name: &str) -> bool {
    let path = format!("{ROOT}/crates/{krate}/Cargo.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let dep = format!("\"dep:{name}\"");
    let features: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| l.contains(&dep))
        .collect();
    !features.is_empty() && features.iter().all(|l| l.starts_with("ts = ["))
}

/// The optional `ts` feature is the only way a statistics, input or report build gets
/// wasm-bindgen, and no crate but the npm package's turns it on.
#[test]
fn ts_feature_is_the_only_way_to_wasm_bindgen() {
    for krate in ["stats", "io", "report"] {
        for (name, line) in manifest_dependencies(krate) {
            if name == "wasm-bindgen" || name == "tsify" {
                assert!(
                    line.contains("optional = true") && ts_only(krate, &name),
                    "survcalc-{krate}: {name} must be optional and only behind the ts feature"
                );
            }
        }
    }
    for krate in ["cli", "plot", "bench", "sheet"] {
        let text =
            std::fs::read_to_string(format!("{ROOT}/crates/{krate}/Cargo.toml")).expect("manifest");
        assert!(
            !text.contains("\"ts\""),
            "crates/{krate} must not enable the ts feature"
        );
    }
    let web = std::fs::read_to_string(format!("{ROOT}/web/Cargo.toml")).expect("manifest");
    assert!(
        !web.contains("\"ts\""),
        "the page must not enable the ts feature"
    );
}

/// The page's module leaves calamine out; workbooks are read by crates/sheet, a module
/// Trunk builds beside it and the worker loads only for a workbook (issue 15).
#[test]
fn the_page_reads_workbooks_through_a_module_of_their_own() {
    let read = |p: &str| std::fs::read_to_string(format!("{ROOT}/{p}")).expect(p);
    let web = read("web/Cargo.toml");
    assert!(
        !web.contains("\"spreadsheet\""),
        "the page's module must not enable spreadsheet: crates/sheet reads workbooks"
    );
    assert!(read("crates/sheet/Cargo.toml").contains("\"spreadsheet\""));
    let index = read("index.html");
    let link = index
        .lines()
        .find(|l| l.contains("crates/sheet/Cargo.toml"))
        .expect("index.html builds the workbook reader");
    assert!(link.contains("data-type=\"worker\""), "{link}");
    let worker = read("web/worker.js");
    assert!(worker.contains("import('./survcalc-sheet.js')"));
    assert!(read("web/sw.js").contains("'./survcalc-sheet_bg.wasm'"));
}

/// Crates of the browser, WebAssembly or plotting: none of stats, io, report may use them.
const FORBIDDEN: [&str; 9] = [
    "survcalc-plot",
    "survcalc-web",
    "wasm-bindgen",
    "js-sys",
    "web-sys",
    "leptos",
    "plotters",
    "serde_json",
    "clap",
];

#[test]
fn stats_depends_on_numerical_crates_only() {
    let deps = dependencies("stats");
    for d in &deps {
        assert!(
            ["statrs", "nalgebra", "radsort", "serde"].contains(&d.as_str()),
            "survcalc-stats may depend on numerical crates only (radsort for its sort; serde behind a feature); it depends on {d}"
        );
    }
    assert!(deps.contains(&"statrs".to_string()), "{deps:?}");
}

#[test]
fn io_and_report_keep_their_direction() {
    let io = dependencies("io");
    assert!(
        !io.iter().any(|d| d == "survcalc-report"),
        "io must not depend on report: {io:?}"
    );
    let report = dependencies("report");
    for krate in ["stats", "io", "report", "core"] {
        for d in dependencies(krate) {
            assert!(
                !FORBIDDEN.contains(&d.as_str()),
                "survcalc-{krate} depends on {d}: the statistics, the input and the report know nothing of browsers, plots, JSON or the command line"
            );
        }
    }
    assert!(
        report.contains(&"survcalc-stats".to_string())
            && report.contains(&"survcalc-io".to_string())
    );
}

#[test]
fn every_library_says_what_it_is_for_and_what_it_does_not_do() {
    for krate in ["stats", "io", "report", "core", "plot"] {
        let path = format!("{ROOT}/crates/{krate}/src/lib.rs");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(
            text.starts_with("//! # survcalc-"),
            "{path} opens with its name"
        );
        let head: String = text
            .lines()
            .take_while(|l| l.starts_with("//!"))
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            head.contains("deliberately does not") || head.contains("does not"),
            "{path}: its opening says what it deliberately does not do"
        );
    }
}

/// Every fixture's recorded reference versions ("r_version", "survival", "cmprsk",
/// "rpact", …), as `name → values seen`, read from the JSON text of all fixtures.
fn fixture_versions() -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let p = e.expect("dir entry").path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "json") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(
        std::path::Path::new(&format!("{ROOT}/tests/fixtures")),
        &mut files,
    );
    let mut seen = std::collections::BTreeMap::<String, std::collections::BTreeSet<String>>::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("fixture");
        for (key, name) in [
            ("\"r_version\"", "R"),
            ("\"survival_version\"", "survival"),
            ("\"survival\"", "survival"),
            ("\"cmprsk\"", "cmprsk"),
            ("\"rpact\"", "rpact"),
        ] {
            let mut rest = text.as_str();
            while let Some(i) = rest.find(key) {
                rest = &rest[i + key.len()..];
                let after = rest.trim_start().strip_prefix(':').map(str::trim_start);
                if let Some(v) = after.and_then(|a| a.strip_prefix('"')) {
                    let value = v.split('"').next().unwrap_or_default();
                    // "R version 4.2.2 Patched (…)" → "4.2.2".
                    let value = value
                        .strip_prefix("R version ")
                        .map_or(value, |v| v.split(' ').next().unwrap_or(v));
                    seen.entry(name.to_string())
                        .or_default()
                        .insert(value.to_string());
                }
            }
        }
    }
    seen
}

/// `survcalc --version` names the reference software the fixtures were made with
/// (`REFERENCE_SOFTWARE`): one version of each, and the one the fixtures record.
#[test]
fn reference_software_names_the_fixtures_versions() {
    let seen = fixture_versions();
    for name in ["R", "survival", "cmprsk", "rpact"] {
        let versions = seen
            .get(name)
            .unwrap_or_else(|| panic!("no fixture records {name}"));
        assert_eq!(
            versions.len(),
            1,
            "fixtures made with several {name}: {versions:?}"
        );
        let v = versions.iter().next().expect("one version");
        let expected = format!("{name} {v}");
        assert!(
            survcalc_core::REFERENCE_SOFTWARE
                .split(", ")
                .any(|s| s == expected),
            "REFERENCE_SOFTWARE ({}) should name {expected}",
            survcalc_core::REFERENCE_SOFTWARE
        );
    }
}
