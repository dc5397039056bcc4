/**
 * ConflictGuard internals: configuration, store choice, the guard and its claim handles.
 * Not API: public only where another ConflictGuard package needs it; may change at any time.
 */
package org.conflictguard.internal;
