package io.sfsync.salesforce.bulk;

import io.sfsync.emulator.SalesforceEmulator;
import io.sfsync.emulator.data.ChangeOrigin;
import io.sfsync.emulator.data.WriteContext;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds the emulator org's write lock from a thread of its own until closed, so a bulk ingest job stays in its
 * first chunk (state InProgress) for as long as a test needs: deterministic, no timing.
 */
final class OrgWriteBlocker implements AutoCloseable {

    private final CountDownLatch release = new CountDownLatch(1);
    private final Thread thread;
    private final SalesforceEmulator sf;

    OrgWriteBlocker(SalesforceEmulator sf) throws InterruptedException {
        this.sf = sf;
        CountDownLatch held = new CountDownLatch(1);
        thread = new Thread(() -> sf.org().write(
                new WriteContext(SalesforceEmulator.ADMIN_USER_ID, ChangeOrigin.UI), tx -> {
                    held.countDown();
                    try {
                        release.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                }), "org-write-blocker");
        thread.start();
        if (!held.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the org's write lock was not taken");
        }
    }

    @Override
    public void close() throws InterruptedException {
        release.countDown();
        thread.join(30_000);
        // The org's write lock is fair: an empty write here runs after every write already waiting for the lock
        // (such as a Bulk chunk that was blocked), so callers see the org settled when close() returns.
        sf.org().write(new WriteContext(SalesforceEmulator.ADMIN_USER_ID, ChangeOrigin.UI), tx -> null);
    }
}
