package org.conflictguard.shedlock;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.javacrumbs.shedlock.core.ExtensibleLockProvider;
import net.javacrumbs.shedlock.test.support.AbstractExtensibleLockProviderIntegrationTest;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConflictGuard;
import org.conflictguard.Row;
import org.conflictguard.spi.ClaimStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * ShedLock's published provider contract (its abstract integration test with extension, which
 * includes the FuzzTester) against {@link ConflictGuardLockProvider} on one store.
 */
abstract class ShedLockContractTest extends AbstractExtensibleLockProviderIntegrationTest {

    private ConflictGuard guard;
    private ConflictGuardLockProvider provider;
    protected String namespace;

    /** A store in this namespace. */
    protected abstract ClaimStore newStore(String namespace);

    /** Removes whatever the namespace left in the store. */
    protected abstract void dropNamespace(String namespace);

    @BeforeEach
    void startGuard() {
        namespace = "shed" + Long.toHexString(System.nanoTime());
        guard = ConflictGuard.builder().store(newStore(namespace)).setting(ConfigKeys.SWEEP_INTERVAL, "off").build();
        provider = new ConflictGuardLockProvider(guard);
    }

    @AfterEach
    void stopGuard() {
        try {
            guard.close();
        } finally {
            dropNamespace(namespace);
        }
    }

    @Override
    protected ExtensibleLockProvider getLockProvider() {
        return provider;
    }

    @Override
    protected void assertUnlocked(String lockName) {
        assertThat(guard.inspect(List.of(Row.of(ConflictGuardLockProvider.ENTITY, lockName))))
                .as("lock %s is free", lockName).isEmpty();
    }

    @Override
    protected void assertLocked(String lockName) {
        assertThat(guard.inspect(List.of(Row.of(ConflictGuardLockProvider.ENTITY, lockName))))
                .as("lock %s is held", lockName).isNotEmpty();
    }
}
