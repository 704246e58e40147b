/**
 * SSH with Apache MINA SSHD: {@link dev.opsflow.hardware.ssh.SshClient} (exec, SFTP), with verified
 * host keys by default ({@link dev.opsflow.hardware.ssh.HostKeyPolicy}).
 */
package dev.opsflow.hardware.ssh;
