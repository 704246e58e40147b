/**
 * IPMI over LAN through {@code ipmitool -I lanplus}: {@link dev.opsflow.hardware.ipmi.IpmiClient}
 * and the {@link dev.opsflow.hardware.ipmi.CommandRunner} it runs processes with. No password ever
 * reaches a command line.
 */
package dev.opsflow.hardware.ipmi;
