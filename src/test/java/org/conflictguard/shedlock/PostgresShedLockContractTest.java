package org.conflictguard.shedlock;

import org.conflictguard.support.TestDatabase;

/** ShedLock's provider contract on POSTGRESQL. */
class PostgresShedLockContractTest extends DatabaseShedLockContractTest {

    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
