/**
 * ConflictGuard API: claim every row an operation will touch, all or none, before it runs.
 *
 * <p>Start with {@link org.conflictguard.ConflictGuard#builder()}, describe the rows with
 * {@link org.conflictguard.Row} and claim them with
 * {@link org.conflictguard.ConflictGuard#claim(ClaimRequest)}. A conflict is a
 * {@link org.conflictguard.ClaimResult} value listing every conflicting row and its holder;
 * exceptions are reserved for bad input ({@link org.conflictguard.InvalidClaimException}),
 * bad configuration ({@link org.conflictguard.ConfigurationException}) and a store that cannot
 * be reached ({@link org.conflictguard.StoreException}).
 *
 * <p>This package is API: it changes only in compatible ways. Types in
 * {@code org.conflictguard.internal} are not API and may change at any time.
 */
package org.conflictguard;
