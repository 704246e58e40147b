/**
 * The dashboard's machinery: the HTTP routes, the live streams, the JSON views and the pages. Not
 * part of the stable API: use {@link dev.opsflow.dashboard.Dashboard}.
 */
package dev.opsflow.dashboard.internal;
