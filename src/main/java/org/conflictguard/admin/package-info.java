/**
 * API (optional, needs Jakarta REST; off by default): the admin resource and page for
 * operators, under {@code conflictguard/admin} of the application's REST root, open only to
 * callers in the role {@link org.conflictguard.ConfigKeys#ADMIN_ROLE} names.
 */
package org.conflictguard.admin;
