package dev.opsflow.hardware.ipmi;

import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.WorkflowException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one BMC with {@code ipmitool -I lanplus}: chassis power, boot device, LAN configuration
 * and user passwords. Every method is one plain blocking call that a step can make.
 *
 * <p>No secret ever reaches a command line: the login password goes through {@code -E} and the
 * {@code IPMI_PASSWORD} environment variable, or through {@code -f} and a 0600 file deleted after
 * the call ({@link IpmiSettings.PasswordSource}). A new user password, which {@code ipmitool user
 * set password} only takes as an argument, is sent as a command on the standard input of {@code
 * ipmitool shell}, whose echo is scrubbed from the output.
 *
 * <p>Failures are {@link WorkflowException}s naming the BMC: AUTH for a refused user or password,
 * CONNECTION when the BMC does not answer, TIMEOUT when ipmitool outlives {@link
 * IpmiSettings#timeout()} (it is killed), PROTOCOL when the output cannot be read, REMOTE_FAILURE
 * when the BMC refuses a command; each carries the exit code and stderr, scrubbed. Bad arguments
 * are rejected with {@link IllegalArgumentException} before anything runs. Thread-safe.
 */
public final class IpmiClient {
  private static final Logger log = LoggerFactory.getLogger(IpmiClient.class);
  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern POWER = Pattern.compile("Chassis Power is (on|off)");

  private final IpmiSettings settings;
  private final CommandRunner runner;

  private IpmiClient(IpmiSettings settings, CommandRunner runner) {
    if (settings == null || runner == null) {
      throw new IllegalArgumentException("settings and runner must not be null");
    }
    this.settings = settings;
    this.runner = runner;
  }

  /**
   * A client running ipmitool as a local process.
   *
   * @param settings the BMC, credentials, cipher suite and timeouts
   * @return the client
   */
  public static IpmiClient create(IpmiSettings settings) {
    return new IpmiClient(settings, CommandRunner.local());
  }

  /**
   * A client running ipmitool through {@code runner}.
   *
   * @param settings the BMC, credentials, cipher suite and timeouts
   * @param runner runs the ipmitool process
   * @return the client
   */
  public static IpmiClient create(IpmiSettings settings, CommandRunner runner) {
    return new IpmiClient(settings, runner);
  }

  /** {@return the settings} */
  public IpmiSettings settings() {
    return settings;
  }

  /** {@return {@code chassis power status}} */
  public PowerState powerStatus() {
    String out = run("chassis", "power", "status");
    var m = POWER.matcher(out);
    if (!m.find()) {
      throw protocol("chassis power status", out);
    }
    return m.group(1).equals("on") ? PowerState.ON : PowerState.OFF;
  }

  /** {@code chassis power on}. */
  public void powerOn() {
    run("chassis", "power", "on");
  }

  /** {@code chassis power off}: a hard power off. */
  public void powerOff() {
    run("chassis", "power", "off");
  }

  /** {@code chassis power soft}: asks the OS to shut down (ACPI). */
  public void powerSoft() {
    run("chassis", "power", "soft");
  }

  /** {@code chassis power cycle}: off, then on after at least one second. */
  public void powerCycle() {
    run("chassis", "power", "cycle");
  }

  /** {@code chassis power reset}: a hard reset. */
  public void powerReset() {
    run("chassis", "power", "reset");
  }

  /**
   * {@code chassis bootdev DEVICE [options=persistent[,efiboot]]}.
   *
   * @param device the boot device: {@code pxe}, {@code disk}, {@code cdrom}, {@code bios}
   * @param persistent for every boot rather than the next one only
   * @param efi boot in EFI mode rather than legacy BIOS
   */
  public void setBootDevice(BootDevice device, boolean persistent, boolean efi) {
    if (device == null) {
      throw new IllegalArgumentException("device must not be null");
    }
    var args = new ArrayList<>(List.of("chassis", "bootdev", device.argument()));
    var options = new ArrayList<String>();
    if (persistent) {
      options.add("persistent");
    }
    if (efi) {
      options.add("efiboot");
    }
    if (!options.isEmpty()) {
      args.add("options=" + String.join(",", options));
    }
    run(args.toArray(String[]::new));
  }

  /**
   * {@code lan print CHANNEL}, parsed.
   *
   * @param channel the BMC's LAN channel (1 on most BMCs)
   * @return the channel's address, netmask, gateway and source
   */
  public LanConfig lanPrint(int channel) {
    checkChannel(channel);
    String out = run("lan", "print", String.valueOf(channel));
    try {
      return LanConfig.parse(channel, out);
    } catch (IllegalArgumentException e) {
      throw protocol("lan print " + channel, out);
    }
  }

  /**
   * {@code lan set CHANNEL ipsrc static|dhcp}.
   *
   * @param channel the BMC's LAN channel (1 on most BMCs)
   * @param source {@code static} or {@code dhcp}
   */
  public void setIpSource(int channel, IpSource source) {
    checkChannel(channel);
    if (source != IpSource.STATIC && source != IpSource.DHCP) {
      throw new IllegalArgumentException("source must be STATIC or DHCP, was " + source);
    }
    run("lan", "set", String.valueOf(channel), "ipsrc", source.name().toLowerCase(Locale.ROOT));
  }

  /**
   * {@code lan set CHANNEL ipaddr ADDRESS}.
   *
   * @param channel the BMC's LAN channel (1 on most BMCs)
   * @param address the IPv4 address
   */
  public void setIpAddress(int channel, String address) {
    checkChannel(channel);
    run("lan", "set", String.valueOf(channel), "ipaddr", ipv4("address", address));
  }

  /**
   * {@code lan set CHANNEL netmask MASK}.
   *
   * @param channel the BMC's LAN channel (1 on most BMCs)
   * @param netmask the IPv4 netmask
   */
  public void setNetmask(int channel, String netmask) {
    checkChannel(channel);
    run("lan", "set", String.valueOf(channel), "netmask", ipv4("netmask", netmask));
  }

  /**
   * {@code lan set CHANNEL defgw ipaddr GATEWAY}.
   *
   * @param channel the BMC's LAN channel (1 on most BMCs)
   * @param gateway the default gateway's IPv4 address
   */
  public void setDefaultGateway(int channel, String gateway) {
    checkChannel(channel);
    run("lan", "set", String.valueOf(channel), "defgw", "ipaddr", ipv4("gateway", gateway));
  }

  /**
   * Switches a channel to a static address: ip source, netmask, gateway, then the address, all
   * checked before the first command runs. The address goes last: a BMC may move to it at once, and
   * a command sent after it would go to the address it left.
   *
   * @param channel the BMC's LAN channel (1 on most BMCs)
   * @param address the static IPv4 address
   * @param netmask the IPv4 netmask
   * @param gateway the default gateway's IPv4 address
   */
  public void configureStatic(int channel, String address, String netmask, String gateway) {
    checkChannel(channel);
    ipv4("address", address);
    ipv4("netmask", netmask);
    ipv4("gateway", gateway);
    setIpSource(channel, IpSource.STATIC);
    setNetmask(channel, netmask);
    setDefaultGateway(channel, gateway);
    setIpAddress(channel, address);
  }

  /**
   * Sets an IPMI user's password. The new password goes to {@code ipmitool shell} on its standard
   * input, never on a command line.
   *
   * @param userId the user id, 1 to 63
   * @param password 1 to 20 printable characters without spaces (IPMI 2.0's limit is 20 bytes)
   */
  public void setUserPassword(int userId, Secret password) {
    if (userId < 1 || userId > 63) {
      throw new IllegalArgumentException("userId must be 1..63, was " + userId);
    }
    if (password == null) {
      throw new IllegalArgumentException("password must not be null");
    }
    String clear = password.reveal();
    if (clear.isEmpty() || clear.length() > 20 || !clear.matches("[\\x21-\\x7e]+")) {
      throw new IllegalArgumentException(
          "password must be 1..20 printable ASCII characters without spaces");
    }
    String size = clear.length() > 16 ? " 20" : " 16";
    String script = "user set password " + userId + " " + clear + size + "\nexit\n";
    CommandResult result = execute(List.of("shell"), script, List.of(clear));
    if (!result.stdout().contains("Set User Password command successful")) {
      throw new WorkflowException(
          ErrorKind.REMOTE_FAILURE,
          settings.target()
              + " did not set the password of user "
              + userId
              + ": "
              + excerpt(result.stderr().isBlank() ? result.stdout() : result.stderr()),
          null,
          false,
          Map.of("bmc", settings.target(), "userId", userId),
          List.of());
    }
    log.info("set the password of IPMI user {} on {}", userId, settings.target());
  }

  /**
   * Runs any ipmitool command (the words after the connection options) and returns its standard
   * output. For commands this client has no method for; never pass a secret here.
   *
   * @param command the words after the connection options
   * @return its standard output
   */
  public String run(String... command) {
    if (command.length == 0) {
      throw new IllegalArgumentException("command must not be empty");
    }
    CommandResult result = execute(List.of(command), null, List.of());
    return result.stdout();
  }

  private CommandResult execute(List<String> words, String stdin, List<String> moreSecrets) {
    var argv =
        new ArrayList<>(
            List.of(
                settings.ipmitool(),
                "-v",
                "-I",
                "lanplus",
                "-H",
                settings.host(),
                "-p",
                String.valueOf(settings.port()),
                "-U",
                settings.username(),
                "-C",
                String.valueOf(settings.cipherSuite()),
                "-N",
                String.valueOf(settings.retryIntervalSeconds()),
                "-R",
                String.valueOf(settings.retries())));
    var env = new java.util.HashMap<String, String>();
    Path passwordFile = null;
    var secrets = new ArrayList<String>(moreSecrets);
    secrets.add(settings.password().reveal());
    try {
      if (settings.passwordSource() == IpmiSettings.PasswordSource.FILE) {
        passwordFile = writePasswordFile();
        argv.add("-f");
        argv.add(passwordFile.toString());
      } else {
        argv.add("-E");
        env.put("IPMI_PASSWORD", settings.password().reveal());
      }
      argv.addAll(words);
      var request =
          new CommandRequest(argv, env, stdin, settings.timeout(), settings.target(), secrets);
      log.debug("ipmitool {} on {}", String.join(" ", words), settings.target());
      CommandResult raw = runner.run(request);
      // Scrubbed again here: a custom runner may not scrub, and a secret must never leave.
      var result =
          new CommandResult(
              raw.commandLine(),
              raw.exitCode(),
              request.scrub(raw.stdout()),
              request.scrub(raw.stderr()),
              raw.duration());
      if (!result.ok()) {
        throw failure(String.join(" ", words), result);
      }
      return result;
    } finally {
      if (passwordFile != null) {
        try {
          Files.deleteIfExists(passwordFile);
        } catch (IOException e) {
          log.warn("cannot delete the IPMI password file {}: {}", passwordFile, e.toString());
        }
      }
    }
  }

  private Path writePasswordFile() {
    try {
      Path file =
          Files.createTempFile(
              "opsflow-ipmi-",
              ".pw",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, settings.password().reveal(), StandardCharsets.UTF_8);
      return file;
    } catch (IOException | UnsupportedOperationException e) {
      throw new WorkflowException(
          ErrorKind.CONFIGURATION,
          "cannot write a private IPMI password file for "
              + settings.target()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private WorkflowException failure(String what, CommandResult result) {
    String err = result.stderr();
    ErrorKind kind;
    String reason;
    if (err.contains("RAKP 2 HMAC is invalid")
        || err.contains("unauthorized name")
        || err.contains("Invalid user name")
        || err.contains("password is invalid")) {
      kind = ErrorKind.AUTH;
      reason = "refused user '" + settings.username() + "' or its password";
    } else if (err.toLowerCase(Locale.ROOT).contains("insufficient privilege")) {
      kind = ErrorKind.AUTH;
      reason =
          "refused '" + what + "' to user '" + settings.username() + "' (insufficient privilege)";
    } else if (err.contains("Get Auth Capabilities error")
        || err.contains("No response from remote controller")
        || err.contains("Error issuing Get Channel Authentication Capabilities")
        || err.contains("Address lookup for")
        || err.contains("Unable to establish")) {
      kind = ErrorKind.CONNECTION;
      reason = "did not answer";
    } else {
      kind = ErrorKind.REMOTE_FAILURE;
      reason = "refused '" + what + "'";
    }
    return new WorkflowException(
        kind,
        settings.target()
            + " "
            + reason
            + " (ipmitool exit "
            + result.exitCode()
            + "): "
            + excerpt(err),
        null,
        kind == ErrorKind.CONNECTION,
        Map.of("bmc", settings.target(), "command", what, "exitCode", result.exitCode()),
        suggestions(kind));
  }

  private List<String> suggestions(ErrorKind kind) {
    if (kind == ErrorKind.AUTH) {
      return List.of("check the BMC user and password");
    }
    if (kind == ErrorKind.CONNECTION) {
      return List.of(
          "check that " + settings.target() + " is reachable over UDP",
          "check that the BMC supports cipher suite " + settings.cipherSuite());
    }
    return List.of();
  }

  private WorkflowException protocol(String what, String output) {
    return new WorkflowException(
        ErrorKind.PROTOCOL,
        "cannot read the output of '"
            + what
            + "' from "
            + settings.target()
            + ": "
            + excerpt(output),
        null,
        false,
        Map.of("bmc", settings.target(), "command", what),
        List.of());
  }

  private static String excerpt(String text) {
    String lines =
        text.lines()
            .filter(
                l ->
                    !l.startsWith("Loading IANA PEN")
                        && !l.startsWith("Running Get VSO")
                        && !l.startsWith("Invalid completion code received: Invalid command")
                        && !l.startsWith("Discovered IPMB")
                        && !l.isBlank())
            .reduce((a, b) -> a + " | " + b)
            .orElse("(no output)");
    return lines.length() > 400 ? lines.substring(0, 400) + "..." : lines;
  }

  private static void checkChannel(int channel) {
    if (channel < 0 || channel > 15) {
      throw new IllegalArgumentException("channel must be 0..15, was " + channel);
    }
  }

  private static String ipv4(String field, String value) {
    if (value == null || !IPV4.matcher(value).matches()) {
      throw new IllegalArgumentException(field + " must be an IPv4 address, was '" + value + "'");
    }
    return value;
  }
}
