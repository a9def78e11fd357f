//! The page's side of the Web Worker that reads and analyses the data
//! ([`crate::engine::Engine`], run by `web/worker.js`).
//!
//! Messages are `{ id, job, bytes }` one way and `{ id, reply }` the other, with `job`
//! and `reply` converted by serde-wasm-bindgen; file bytes travel as a transferred
//! `ArrayBuffer`, not copied. Only the answer to the newest analysis is shown; older ones
//! are dropped. If the worker dies (a reader trap in the WebAssembly), a new one is
//! started and the page says the data could not be read.

use crate::engine::{Computed, Job, Reply, TableInfo, TimeAxis, TrialComputed};
use crate::share::{match_note, ShareState};
use crate::state::Session;
use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::HashMap;
use survcalc_core::design_report::{DesignReport, DesignRequest};
use survcalc_core::TableOptions;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// What a read was for, to be finished when its answer comes.
enum PendingRead {
    /// New data: a file, pasted text or the example; with the state of a share link to
    /// restore on it.
    New {
        source: String,
        example: bool,
        read: TableOptions,
        restore: Option<Box<ShareState>>,
    },
    /// The same data with other reading options.
    Again { read: TableOptions },
}

/// Why the worker stopped, as it said before stopping.
struct Crash {
    /// The JavaScript error's text ("unreachable", "Out of memory", …).
    text: String,
    /// Whether it ran out of memory.
    memory: bool,
}

/// What to do with the data when it comes back.
type DataWaiter = Box<dyn FnOnce(String)>;
/// What to do with the whole trial's results when they come back.
type TrialWaiter = Box<dyn FnOnce(TrialComputed)>;
/// What to do with a design when it comes back.
type DesignWaiter = Box<dyn FnOnce(Result<DesignReport, String>)>;
/// What to do with an R script when it comes back.
type ScriptWaiter = Box<dyn FnOnce(Result<String, String>)>;

#[derive(Default)]
struct State {
    worker: Option<web_sys::Worker>,
    next_id: u32,
    latest_analysis: u32,
    reads: HashMap<u32, PendingRead>,
    data_waiters: HashMap<u32, DataWaiter>,
    trial_waiters: HashMap<u32, TrialWaiter>,
    design_waiters: HashMap<u32, DesignWaiter>,
    script_waiters: HashMap<u32, ScriptWaiter>,
    busy_ids: Vec<u32>,
    /// A share link's state waiting for its data (a link made without the data).
    awaiting_data: Option<Box<ShareState>>,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
}

/// The worker `web/boot.js` started before the page's module loaded (and handed the
/// module it compiled), taken once: a restart makes a new one.
fn adopt_early_worker() -> Option<web_sys::Worker> {
    let window = web_sys::window()?;
    let key = JsValue::from_str("survcalcWorker");
    let worker = js_sys::Reflect::get(&window, &key).ok()?;
    let _ = js_sys::Reflect::set(&window, &key, &JsValue::UNDEFINED);
    worker.dyn_into::<web_sys::Worker>().ok()
}

/// The signals the worker's answers go to.
#[derive(Clone, Copy)]
pub struct Client {
    /// The page's state (replaced when a table has been read).
    pub session: RwSignal<Session>,
    /// The newest results, `None` before the first.
    pub computed: RwSignal<Option<Computed>>,
    /// What the worker is doing, for the progress indicator.
    pub busy: RwSignal<Option<&'static str>>,
    /// How far it is ("42% of 20.9 MB", "Cox model"), from the worker's progress messages.
    pub progress: RwSignal<Option<String>>,
    /// Counts the tables read, so that reading the same data again re-analyses it.
    pub generation: RwSignal<u64>,
    /// What the page says about a share link: (all is well, message).
    pub link: RwSignal<Option<(bool, String)>>,
    /// Set when the user loads or rereads data: the page then scrolls to the results (or
    /// the message) once they arrive, and moves the focus there.
    pub reveal: RwSignal<bool>,
}

impl Client {
    /// Creates the signals and starts the worker.
    pub fn start(session: RwSignal<Session>) -> Client {
        let client = Client {
            session,
            computed: RwSignal::new(None),
            busy: RwSignal::new(None),
            progress: RwSignal::new(None),
            generation: RwSignal::new(0),
            link: RwSignal::new(None),
            reveal: RwSignal::new(false),
        };
        client.spawn();
        client
    }

    fn spawn(self) {
        let options = web_sys::WorkerOptions::new();
        options.set_type(web_sys::WorkerType::Module);
        let worker = match adopt_early_worker().map_or_else(
            || web_sys::Worker::new_with_options("./worker.js", &options),
            Ok,
        ) {
            Ok(w) => w,
            Err(e) => {
                let msg = format!(
                    "this browser could not start the page's calculation worker ({e:?}); use a current Chrome, Edge, Firefox or Safari"
                );
                self.session
                    .set(Session::from_info("", Err(msg), TableOptions::default()));
                return;
            }
        };
        let on_message =
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
                self.on_message(&ev.data());
            });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        let on_error = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
            ev.prevent_default();
            self.on_crash(None);
        });
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        STATE.with_borrow_mut(|s| s.worker = Some(worker));
    }

    fn post(self, job: &Job, bytes: Option<JsValue>, busy: &'static str) -> Option<u32> {
        let job = serde_wasm_bindgen::to_value(job).ok()?;
        let msg = js_sys::Object::new();
        let id = STATE.with_borrow_mut(|s| {
            s.next_id += 1;
            s.busy_ids.push(s.next_id);
            s.next_id
        });
        let _ = js_sys::Reflect::set(&msg, &"id".into(), &id.into());
        let _ = js_sys::Reflect::set(&msg, &"job".into(), &job);
        let transfer = js_sys::Array::new();
        // New data: bytes (moved to the worker, not copied), or a file the worker reads
        // itself, so that the page's thread never holds a large file.
        if let Some(b) = bytes {
            if let Some(u) = b.dyn_ref::<js_sys::Uint8Array>() {
                transfer.push(&u.buffer());
            }
            let _ = js_sys::Reflect::set(&msg, &"bytes".into(), &b);
        }
        let sent = STATE.with_borrow(|s| {
            s.worker
                .as_ref()
                .map(|w| w.post_message_with_transfer(&msg, &transfer).is_ok())
        });
        if sent == Some(true) {
            self.busy.set(Some(busy));
            Some(id)
        } else {
            None
        }
    }

    /// Reads new data (a file's bytes, pasted text, the example). A share link's state
    /// waiting for its data is restored on it (not on the example).
    pub fn load(self, source: &str, bytes: JsValue, example: bool) {
        let restore = if example {
            None
        } else {
            STATE.with_borrow_mut(|s| s.awaiting_data.take())
        };
        let read = restore
            .as_ref()
            .map_or_else(TableOptions::default, |r| r.read.clone());
        self.load_with(source, bytes, example, read, restore);
    }

    /// Reads data the user gave (pasted, chosen, dropped, or the example on request), and
    /// shows the results once they arrive.
    pub fn load_by_user(self, source: &str, bytes: JsValue, example: bool) {
        // New data makes the running job pointless: stop it rather than queue behind it.
        if STATE.with_borrow(|s| !s.busy_ids.is_empty()) {
            self.restart_worker();
        }
        self.reveal.set(true);
        self.load(source, bytes, example);
    }

    /// Reads new data with these reading options, then restores `restore` on it.
    pub fn load_with(
        self,
        source: &str,
        bytes: JsValue,
        example: bool,
        read: TableOptions,
        restore: Option<Box<ShareState>>,
    ) {
        let id = self.post(&Job::Read(read.clone()), Some(bytes), "Reading the data…");
        if let Some(id) = id {
            let pending = PendingRead::New {
                source: source.to_string(),
                example,
                read,
                restore,
            };
            STATE.with_borrow_mut(|s| s.reads.insert(id, pending));
        }
    }

    /// Keeps a link's state until the user loads data (a link without its data).
    pub fn await_data(self, state: ShareState) {
        STATE.with_borrow_mut(|s| s.awaiting_data = Some(Box::new(state)));
    }

    /// Asks the worker for the data packed for a share link and passes it to `then`.
    pub fn packed_data(self, then: impl FnOnce(String) + 'static) {
        if let Some(id) = self.post(&Job::PackedData, None, "Preparing the link…") {
            STATE.with_borrow_mut(|s| s.data_waiters.insert(id, Box::new(then)));
        }
    }

    /// Reads the same data again with other options (delimiter, sheet, …).
    pub fn reread(self, read: TableOptions) {
        self.reveal.set(true);
        if let Some(id) = self.post(&Job::Read(read.clone()), None, "Reading the data…") {
            STATE.with_borrow_mut(|s| s.reads.insert(id, PendingRead::Again { read }));
        }
    }

    /// Analyses the table read last as the session asks.
    pub fn analyze(self, session: &Session) {
        let job = Job::Analyze(Box::new(session.request()), session.time_axis());
        if let Some(id) = self.post(&job, None, "Analysing…") {
            STATE.with_borrow_mut(|s| s.latest_analysis = id);
        }
    }

    /// Asks for the last analysis thinned again for the figure's new time axis (its
    /// numbers at risk are then exact at the new ticks); the answer replaces the results
    /// shown, unless another analysis was asked for after it.
    pub fn redraw(self, axis: TimeAxis) {
        if let Some(id) = self.post(&Job::Redraw(axis), None, "Drawing…") {
            STATE.with_borrow_mut(|s| s.latest_analysis = id);
        }
    }

    /// Asks the worker for the full Kaplan–Meier table of the analysis shown (which the
    /// page holds thinned) as CSV, and passes it to `then`.
    pub fn km_csv(self, then: impl FnOnce(String) + 'static) {
        if let Some(id) = self.post(&Job::KmCsv, None, "Preparing the table…") {
            STATE.with_borrow_mut(|s| s.data_waiters.insert(id, Box::new(then)));
        }
    }

    /// Asks the worker for every endpoint of the trial analysed as the session says, and
    /// passes the results to `then`.
    pub fn trial(self, session: &Session, then: impl FnOnce(TrialComputed) + 'static) {
        let job = Job::Trial(
            Box::new(session.request()),
            session.endpoints.clone(),
            session.figure_axes(),
        );
        if let Some(id) = self.post(&job, None, "Analysing every endpoint…") {
            STATE.with_borrow_mut(|s| s.trial_waiters.insert(id, Box::new(then)));
        }
    }

    /// Asks the worker for a design and passes it to `then`.
    pub fn design(
        self,
        request: DesignRequest,
        then: impl FnOnce(Result<DesignReport, String>) + 'static,
    ) {
        if let Some(id) = self.post(
            &Job::Design(Box::new(request)),
            None,
            "Computing the design…",
        ) {
            STATE.with_borrow_mut(|s| s.design_waiters.insert(id, Box::new(then)));
        }
    }

    /// Asks the worker for the R script of the whole trial ("Reproduce in R") and passes
    /// it, or what went wrong, to `then`.
    pub fn r_script(
        self,
        session: &Session,
        file: Option<String>,
        sas: bool,
        then: impl FnOnce(Result<String, String>) + 'static,
    ) {
        let job = Job::RScript(
            Box::new(session.request()),
            session.endpoints.clone(),
            file,
            sas,
        );
        if let Some(id) = self.post(&job, None, "Writing the R script…") {
            STATE.with_borrow_mut(|s| s.script_waiters.insert(id, Box::new(then)));
        }
    }

    /// Asks the worker for the data as CSV and passes it to `then`.
    pub fn data_csv(self, then: impl FnOnce(String) + 'static) {
        if let Some(id) = self.post(&Job::DataCsv, None, "Preparing the report…") {
            STATE.with_borrow_mut(|s| s.data_waiters.insert(id, Box::new(then)));
        }
    }

    fn on_message(self, data: &JsValue) {
        // Progress within the running job (web/src/worker.rs): shown beside "Reading…".
        if let Some(text) = js_sys::Reflect::get(data, &"progress".into())
            .ok()
            .and_then(|v| v.as_string())
        {
            if self.busy.get_untracked().is_some() {
                self.progress.set(Some(text));
            }
            return;
        }
        let id = js_sys::Reflect::get(data, &"id".into())
            .ok()
            .and_then(|v| v.as_f64())
            .map_or(0, |v| v as u32);
        // The worker trapped (or ran out of memory) and stopped itself.
        if let Some(text) = js_sys::Reflect::get(data, &"crashed".into())
            .ok()
            .and_then(|v| v.as_string())
        {
            let memory = js_sys::Reflect::get(data, &"memory".into())
                .ok()
                .is_some_and(|v| v.is_truthy());
            self.on_crash(Some(Crash { text, memory }));
            return;
        }
        let reply = js_sys::Reflect::get(data, &"reply".into())
            .map_err(|_| "no reply".to_string())
            .and_then(|r| serde_wasm_bindgen::from_value::<Reply>(r).map_err(|e| e.to_string()));
        // A table read successfully is analysed next (the page's request changes), so the
        // page stays busy until that answer arrives.
        let analysis_follows = matches!(&reply, Ok(Reply::Read(info)) if info.is_ok());
        let (pending, waiter, trial_waiter, design_waiter, script_waiter, latest, idle) = STATE
            .with_borrow_mut(|s| {
                s.busy_ids.retain(|b| *b != id);
                (
                    s.reads.remove(&id),
                    s.data_waiters.remove(&id),
                    s.trial_waiters.remove(&id),
                    s.design_waiters.remove(&id),
                    s.script_waiters.remove(&id),
                    s.latest_analysis,
                    s.busy_ids.is_empty(),
                )
            });
        if analysis_follows {
            self.busy.set(Some("Analysing…"));
        } else if idle {
            self.busy.set(None);
        }
        self.progress.set(None);
        match reply {
            Ok(Reply::Read(info)) => self.finish_read(pending, *info),
            Ok(Reply::Analyzed(c)) if id == latest => self.computed.set(Some(*c)),
            Ok(Reply::Analyzed(_)) => {}
            Ok(Reply::Redrawn(Some(c))) if id == latest => self.computed.set(Some(*c)),
            Ok(Reply::Redrawn(_)) => {}
            Ok(Reply::DataCsv(text) | Reply::PackedData(text)) => {
                if let Some(then) = waiter {
                    then(text);
                }
            }
            Ok(Reply::Trial(t)) => {
                if let Some(then) = trial_waiter {
                    then(*t);
                }
            }
            Ok(Reply::Design(d)) => {
                if let Some(then) = design_waiter {
                    then(*d);
                }
            }
            Ok(Reply::RScript(r)) => {
                if let Some(then) = script_waiter {
                    then(r);
                }
            }
            Err(e) => {
                let msg = format!("the page's worker sent an answer it could not read ({e})");
                match pending {
                    Some(p) => self.finish_read(Some(p), Err(msg)),
                    None => self.computed.set(Some(Computed {
                        outcome: Err(msg),
                        response: None,
                        ae: None,
                        competing: None,
                    })),
                }
            }
        }
    }

    fn finish_read(self, pending: Option<PendingRead>, info: Result<TableInfo, String>) {
        self.generation.update(|g| *g += 1);
        match pending {
            Some(PendingRead::New {
                source,
                example,
                read,
                restore,
            }) => {
                let mut s = Session::from_info(&source, info, read);
                s.is_example = example;
                if let Some(state) = restore {
                    let got = s.data_ref();
                    s.apply_share(&state);
                    self.link.set(Some(match got {
                        Some(got) => match_note(&state.data, &got),
                        None => (
                            false,
                            "The data could not be read, so the link's analysis could not be restored.".into(),
                        ),
                    }));
                }
                self.session.set(s);
            }
            Some(PendingRead::Again { read }) => {
                self.session.update(|s| *s = s.reread(info, read));
            }
            None => {}
        }
    }

    /// The worker stopped (a trap in a reader): start another; the data it held is gone.
    /// Ends the worker and whatever it was doing, and starts a fresh one (its data is
    /// gone with it).
    fn restart_worker(self) {
        self.end_worker();
        self.spawn();
    }

    /// Ends the worker and forgets every job sent to it; returns the reads that were
    /// under way (a crash names the file being read).
    fn end_worker(self) -> Vec<PendingRead> {
        let reads = STATE.with_borrow_mut(|s| {
            if let Some(w) = s.worker.take() {
                w.terminate();
            }
            s.busy_ids.clear();
            s.data_waiters.clear();
            s.trial_waiters.clear();
            s.design_waiters.clear();
            s.script_waiters.clear();
            s.reads.drain().map(|(_, p)| p).collect()
        });
        self.busy.set(None);
        self.progress.set(None);
        reads
    }

    /// Stops the running job at the user's request (the Cancel button): the worker is
    /// ended and replaced, so the data has to be loaded again.
    pub fn cancel(self) {
        let source = self.session.with_untracked(|s| s.source.clone());
        self.restart_worker();
        self.computed.set(None);
        self.reveal.set(true);
        self.session.set(Session::from_info(
            &source,
            Err(format!(
                "stopped: the work on {source} was cancelled. Load the data again to analyse it (with fewer landmark times, covariates or groups if it took too long)"
            )),
            TableOptions::default(),
        ));
    }

    fn on_crash(self, crash: Option<Crash>) {
        let reads = self.end_worker();
        self.computed.set(None);
        let reading = !reads.is_empty();
        let source = match reads.into_iter().next() {
            Some(PendingRead::New { source, .. }) => source,
            _ => self.session.with_untracked(|s| s.source.clone()),
        };
        let msg = match crash {
            Some(Crash { memory: true, .. }) => format!(
                "{source} could not be analysed here: the file needs more memory than the browser allows (4 GB for a page's calculation). The command-line tool (survcalc analyze), which has the computer's memory, can analyse it"
            ),
            Some(Crash { text, .. }) if !reading => format!(
                "{source} could not be analysed: the calculation stopped on something it does not handle ({text}). Load the file again; if a link or a setting holds an unusual value, change it"
            ),
            _ => format!(
                "{source} could not be read: the reader stopped on something in this file it does not handle. If it is a workbook, open it in Excel or LibreOffice and save it again, or save the sheet as CSV"
            ),
        };
        self.session.set(Session::from_info(
            &source,
            Err(msg),
            TableOptions::default(),
        ));
        self.spawn();
    }
}
