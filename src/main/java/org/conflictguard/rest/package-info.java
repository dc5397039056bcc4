/**
 * Jakarta REST mappers that turn a refused claim or a refused write into HTTP 409 with an
 * {@code application/problem+json} body listing the rows and their holders. API; optional:
 * needs Jakarta REST. Register them in your {@code Application} (or let the runtime's scanning
 * find their {@code @Provider}).
 */
package org.conflictguard.rest;
