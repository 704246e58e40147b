/**
 * Redfish client for provisioning: {@link dev.opsflow.hardware.redfish.RedfishClient} (sessions,
 * systems and reset, BIOS settings, firmware and SimpleUpdate tasks, BMC network).
 */
package dev.opsflow.hardware.redfish;
