package org.conflictguard.shedlock;

import org.conflictguard.support.TestDatabase;

/** ShedLock's provider contract on H2. */
class H2ShedLockContractTest extends DatabaseShedLockContractTest {

    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
