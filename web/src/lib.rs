//! # survcalc-web
//!
//! The survcalc page: a Leptos client-side app compiled to WebAssembly and bundled by
//! Trunk from the root `index.html`. Components are one file per part of the page
//! ([`data_input`], [`mapping_panel`], [`results`], [`figure`]); the application state is a
//! plain struct ([`state::Session`]) whose logic is unit-tested natively, without a browser.
//!
//! It computes nothing itself — statistics come from `survcalc-core`, the figure from
//! `survcalc-plot` — and it sends nothing anywhere: files are read with the File API and
//! exports are made as `blob:` URLs in the page.

pub mod app;
pub mod binary_panel;
pub mod client;
pub mod competing_panel;
pub mod data_input;
pub mod design_panel;
pub mod digitiser;
pub mod download;
pub mod engine;
pub mod figure;
pub mod mapping_panel;
pub mod paper;
pub mod rebuild_panel;
pub mod results;
pub mod secondary;
pub mod share;
pub mod share_panel;
pub mod state;
pub mod worker;
