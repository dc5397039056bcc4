package org.conflictguard.shedlock;

import org.conflictguard.support.TestDatabase;

/** ShedLock's provider contract on MARIADB. */
class MariaDbShedLockContractTest extends DatabaseShedLockContractTest {

    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.MARIADB;
    }
}
