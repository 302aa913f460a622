//! A report's batches built on the worker pool while the batch before is written: the
//! writing of a large report overlaps its making.

/// Hands `emit` the batches `build` makes, in order. With more than one, a thread of
/// its own builds batch k+1 (on the worker pool) while the caller's thread emits batch
/// k: writing a report overlaps making it. An error from `emit` stops the building.
pub(super) fn pipeline<T: Send, E>(
    batches: usize,
    build: &(dyn Fn(usize) -> T + Sync),
    emit: &mut dyn FnMut(T) -> Result<(), E>,
) -> Result<(), E> {
    // On a worker of the pool, waiting for a thread that needs the pool's workers could
    // wait for ever (a pool of one): build in line there.
    if batches <= 1 || rayon::current_thread_index().is_some() {
        return (0..batches).try_for_each(|k| emit(build(k)));
    }
    std::thread::scope(|s| {
        let (made, ready) = std::sync::mpsc::sync_channel(1);
        s.spawn(move || {
            for k in 0..batches {
                // The receiver is gone only when `emit` failed: stop building.
                if made.send(build(k)).is_err() {
                    return;
                }
            }
        });
        ready.into_iter().try_for_each(emit)
    })
}
