package io.sfsync.smt;

/** Where detected conflicts go besides the WARN log: the conflicts topic, or nowhere. */
interface ConflictRecorder extends AutoCloseable {

    /** Records one conflict; never blocks the pipeline and never throws for a delivery failure. */
    void record(Conflict conflict);

    @Override
    void close();

    /** Conflicts only logged and counted ({@code conflicts.topic} empty). */
    ConflictRecorder NONE = new ConflictRecorder() {
        @Override
        public void record(Conflict conflict) {
        }

        @Override
        public void close() {
        }
    };
}
