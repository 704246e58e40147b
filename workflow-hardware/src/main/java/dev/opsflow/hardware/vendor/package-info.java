/**
 * Vendor tools run on a server over SSH: HPE {@code ilorest}, Dell {@code racadm}, Supermicro
 * {@code sum}. Each {@link dev.opsflow.hardware.vendor.VendorTool} builds the shell commands and
 * parses the tool's real output formats (see docs/hardware.md for the versions they follow).
 */
package dev.opsflow.hardware.vendor;
