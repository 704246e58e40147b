/**
 * Bare-metal provisioning on the MAAS, Redfish, IPMI and SSH clients: the workflows ({@link
 * dev.opsflow.hardware.provisioning.HardwareWorkflows}: {@code server-provisioning}, {@code
 * firmware-first-provisioning}, {@code commission-server}), their public steps (each with a
 * precheck, a dry-run description and, where an undo exists, a compensation), the {@link
 * dev.opsflow.hardware.provisioning.DeviceCatalog} of device types read from YAML, and {@link
 * dev.opsflow.hardware.provisioning.BatchCommissioning} of many servers with BMC addresses from a
 * range. Steps and definitions are one package, rather than the {@code steps}/{@code workflows}
 * split of the Redis modules, because they share package-private helpers (inputs, IPv4 checks) that
 * are not API.
 */
package dev.opsflow.hardware.provisioning;
