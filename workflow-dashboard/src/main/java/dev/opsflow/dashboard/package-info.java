/**
 * An embeddable web dashboard and HTTP API over an engine's store: start with {@link
 * dev.opsflow.dashboard.Dashboard#builder}. See {@code docs/dashboard.md}.
 */
package dev.opsflow.dashboard;
