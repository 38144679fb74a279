//! Pieces of a file read by a few threads and handed over in file order: each thread takes the
//! next piece not yet taken (a thread slowed down by other work holds up only its own piece),
//! and stays at most [`AHEAD`] pieces per thread ahead of the merge, so that the pieces read
//! but not merged yet stay few. Nothing polls: a thread ahead waits on a condition variable
//! that the merge signals, the merge blocks on the channel of results (waking every
//! [`TICK`] only to report progress, when asked to). The calling thread is one of the readers:
//! when the next piece to merge is not there yet, it reads the next piece not taken (within
//! the same distance of the merge), so that `workers` readers start `workers - 1` threads (a
//! thread costs its start, its stack and its allocation arena, whose pages are new). One
//! thread, or one piece, reads on the calling thread alone.

use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::Duration;

/// Pieces a thread may read ahead of the merge.
pub const AHEAD: usize = 2;

/// How often progress is reported while the merge waits.
pub const TICK: Duration = Duration::from_millis(50);

/// How far the merge has come, and whether the read stopped (an error).
struct Gate {
    state: Mutex<(usize, bool)>,
    moved: Condvar,
}

impl Gate {
    /// Wait until piece `k` is within `ahead` pieces of the merge: false if the read stopped.
    fn wait_for(&self, k: usize, ahead: usize) -> bool {
        let mut s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        while k >= s.0 + ahead && !s.1 {
            s = self.moved.wait(s).unwrap_or_else(PoisonError::into_inner);
        }
        !s.1
    }
    fn set(&self, merged: usize, stop: bool) {
        let mut s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        *s = (merged, s.1 || stop);
        self.moved.notify_all();
    }
}

/// Read pieces `0..count` with `read` on up to `workers` threads (the calling thread one of
/// them) and hand each result to `merge` in order, on the calling thread; `tick` is called while the merge waits (every
/// [`TICK`] when `ticks`, else only between pieces). The first error of `merge` stops the read.
pub fn in_order<T: Send>(
    count: usize,
    workers: usize,
    read: &(dyn Fn(usize) -> T + Sync),
    merge: &mut dyn FnMut(usize, T) -> Result<()>,
    tick: &dyn Fn(),
    ticks: bool,
) -> Result<()> {
    if workers <= 1 || count <= 1 {
        for k in 0..count {
            merge(k, read(k))?;
            tick();
        }
        return Ok(());
    }
    let workers = workers.min(count);
    let gate = Gate {
        state: Mutex::new((0, false)),
        moved: Condvar::new(),
    };
    let next = AtomicUsize::new(0);
    let ahead = AHEAD * workers;
    std::thread::scope(|s| {
        let (tx, rx) = mpsc::channel();
        for _ in 1..workers {
            let tx = tx.clone();
            let (gate, next) = (&gate, &next);
            s.spawn(move || loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                if k >= count || !gate.wait_for(k, ahead) {
                    break;
                }
                if tx.send((k, read(k))).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        let mut waiting: BTreeMap<usize, T> = BTreeMap::new();
        let mut turn = 0;
        let result = loop {
            if turn == count {
                break Ok(());
            }
            if let Some(r) = waiting.remove(&turn) {
                if let Err(e) = merge(turn, r) {
                    break Err(e);
                }
                turn += 1;
                gate.set(turn, false);
                continue;
            }
            // the next piece not taken, if the merge is near enough, read here
            let mut k = next.load(Ordering::Relaxed);
            while k < count && k < turn + ahead {
                match next.compare_exchange(k, k + 1, Ordering::Relaxed, Ordering::Relaxed) {
                    Ok(_) => break,
                    Err(now) => k = now,
                }
            }
            if k < count && k < turn + ahead {
                waiting.insert(k, read(k));
                continue;
            }
            let got = if ticks {
                tick();
                rx.recv_timeout(TICK)
            } else {
                rx.recv().map_err(|_| RecvTimeoutError::Disconnected)
            };
            match got {
                Ok((k, r)) => {
                    waiting.insert(k, r);
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => {
                    break Err(Error::Internal("a reader thread failed".into()));
                }
            }
        };
        gate.set(turn, true);
        result
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU64;

    /// The pieces and their results, as merged.
    fn merged(
        count: usize,
        workers: usize,
        read: &(dyn Fn(usize) -> usize + Sync),
    ) -> Vec<(usize, usize)> {
        let mut got = Vec::new();
        in_order(
            count,
            workers,
            read,
            &mut |k, v| {
                got.push((k, v));
                Ok(())
            },
            &|| {},
            false,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        got
    }

    /// Pieces merged in order, whatever the threads and however long each piece takes.
    #[test]
    fn pieces_are_merged_in_order() {
        for workers in [1, 2, 3, 8] {
            let read = |k: usize| {
                // later pieces are quicker: they come back first
                std::thread::sleep(Duration::from_micros(((20 - k % 20) * 50) as u64));
                k * k
            };
            let want: Vec<(usize, usize)> = (0..45).map(|k| (k, k * k)).collect();
            assert_eq!(merged(45, workers, &read), want, "{workers} threads");
        }
    }

    #[test]
    fn an_error_stops_the_read_and_no_thread_runs_far_ahead() {
        let started = AtomicU64::new(0);
        let read = |k: usize| {
            started.fetch_add(1, Ordering::Relaxed);
            k
        };
        let mut merged = 0;
        let r = in_order(
            1000,
            3,
            &read,
            &mut |k, _| {
                merged += 1;
                if k == 4 {
                    Err(Error::Internal("piece 4".into()))
                } else {
                    Ok(())
                }
            },
            &|| {},
            true,
        );
        assert!(matches!(r, Err(Error::Internal(m)) if m == "piece 4"));
        assert_eq!(merged, 5);
        // pieces 0-4 merged, at most AHEAD x 3 read ahead of the merge (plus one taken by each
        // thread, which waits and gives up)
        let n = started.load(Ordering::Relaxed) as usize;
        assert!(n <= 5 + AHEAD * 3, "{n} pieces read");
    }

    #[test]
    fn the_calling_thread_is_one_of_the_readers() {
        for workers in [2, 3] {
            let readers = Mutex::new(std::collections::HashSet::new());
            let read = |k: usize| {
                let id = std::thread::current().id();
                readers.lock().map(|mut r| r.insert(id)).unwrap_or(false);
                std::thread::sleep(Duration::from_micros(200));
                k
            };
            let want: Vec<(usize, usize)> = (0..40).map(|k| (k, k)).collect();
            assert_eq!(merged(40, workers, &read), want);
            // the threads started, and the calling thread if it read a piece
            let ids = readers.into_inner().unwrap_or_default();
            assert!(ids.len() <= workers, "{} readers", ids.len());
        }
    }

    #[test]
    fn no_piece_no_call() {
        let mut calls = 0;
        in_order(
            0,
            4,
            &|k: usize| k,
            &mut |_, _| {
                calls += 1;
                Ok(())
            },
            &|| {},
            false,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(calls, 0);
    }
}
