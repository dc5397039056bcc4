/**
 * ConflictGuard SPI: the contract a claim store fulfils.
 *
 * <p>Implement {@link org.conflictguard.spi.ClaimStore} to keep claims somewhere new; the
 * library's Redis and database stores implement it and pass one shared contract test suite.
 * This package is SPI: it changes only in compatible ways.
 */
package org.conflictguard.spi;
