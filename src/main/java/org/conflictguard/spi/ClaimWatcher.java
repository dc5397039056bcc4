package org.conflictguard.spi;

/**
 * Told of a namespace's grants and ends as they happen, by a store that can push them
 * ({@link ClaimStore#watch}): Redis publish/subscribe, PostgreSQL {@code LISTEN}/{@code NOTIFY}.
 * Called on the store's delivery thread: implementations must be quick and thread-safe, and must
 * not throw.
 */
public interface ClaimWatcher {

    /** A claim was granted; {@link ClaimStore#claimRecords} tells its marks. */
    void granted(long token);

    /** A claim ended (released, force-released or swept): its marks hold nothing any more. */
    void ended(long token);

    /**
     * Grants may be missed from now on (the connection that delivers them was lost): nothing the
     * watcher knows can be trusted until {@link #resumed()}.
     *
     * @param why what happened, for logs
     */
    void interrupted(String why);

    /**
     * Every grant from now on is delivered (the connection is back, or was confirmed working): the
     * watcher reads what the store keeps ({@link ClaimStore#claimTokens()}) to learn what it missed.
     */
    void resumed();
}
