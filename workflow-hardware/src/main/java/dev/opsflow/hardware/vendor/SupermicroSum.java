package dev.opsflow.hardware.vendor;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/**
 * Supermicro Update Manager {@code sum} (2.x, in-band on the server): {@code sum -c
 * GetCurrentBiosCfg --file F} writes the BIOS setup as XML ({@code <BiosCfg>} of nested {@code
 * <Menu name=...>} holding {@code <Setting name=... type=Option selectedOption=...>}, {@code
 * type=Numeric numericValue=...} or {@code type=CheckBox checkedStatus=...}); {@code sum -c
 * ChangeBiosCfg --file F} takes such a file with only the settings to change (under their menus),
 * applied at the next reboot; {@code sum -c UpdateBios --file F} flashes a BIOS. In-band SUM has no
 * power control: resets go to the next method.
 *
 * <p>The firmware: {@code sum -c GetBiosInfo --showall} and {@code sum -c GetBmcInfo} print a
 * {@code Managed system} section of dotted lines ({@code BIOS version.........1.0}, {@code BMC
 * version..........01.01.05}); a {@code Local ... image file} section (given a {@code --file}) is
 * not the installed firmware and is ignored.
 *
 * <p>The BMC's network: {@code sum -c GetBmcCfg --file F} writes a {@code <BmcCfg>} whose IPMI LAN
 * table {@code OemCfg/LAN/Configuration/IPv4/Configuration} holds {@code IPSrc} ({@code
 * DHCP|Static}), {@code IPAddr}, {@code SubNetMask} and {@code DefaultGateWayAddr}; {@code sum -c
 * ChangeBmcCfg --file F} takes a file with only those tables ({@code Action="Change"}) and answers
 * that the BMC configuration is updated (SUM/SAA user's guide, "BMC Configuration XML File
 * Format").
 */
public final class SupermicroSum implements VendorTool {

  @Override
  public String executable() {
    return "sum";
  }

  /** GNU coreutils' {@code sum} shares the name: SUM prints its banner on every command. */
  @Override
  public String installedCheck() {
    return "command -v sum >/dev/null && sum -h 2>&1 | grep -q 'Supermicro Update Manager'";
  }

  @Override
  public String readBiosCommand() {
    return "f=$(mktemp) && sum -c GetCurrentBiosCfg --file \"$f\" --overwrite >/dev/null"
        + " && cat \"$f\"; rc=$?; rm -f \"$f\"; exit $rc";
  }

  @Override
  public Map<String, String> parseBios(String output) {
    var values = new LinkedHashMap<String, String>();
    settings(output).forEach((name, s) -> values.put(name, s.value()));
    return values;
  }

  /** A setting: its menu path, type and value. */
  private record Setting(List<String> menus, String type, String value) {}

  private static Map<String, Setting> settings(String xml) {
    Element root = document(xml, "BiosCfg", "BIOS configuration");
    var out = new LinkedHashMap<String, Setting>();
    walk(root, new ArrayList<>(), out);
    return out;
  }

  /** The root of {@code xml} (what follows any banner), refusing a DOCTYPE and another root. */
  private static Element document(String xml, String rootName, String what) {
    Element root;
    try {
      var factory = DocumentBuilderFactory.newInstance();
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setExpandEntityReferences(false);
      int start = xml.indexOf('<');
      root =
          factory
              .newDocumentBuilder()
              .parse(new InputSource(new StringReader(start < 0 ? xml : xml.substring(start))))
              .getDocumentElement();
    } catch (Exception e) {
      throw new IllegalArgumentException(
          "sum printed no " + what + " XML: " + Racadm.abbreviate(xml), e);
    }
    if (!root.getTagName().equals(rootName)) {
      throw new IllegalArgumentException(
          "sum's XML starts with <" + root.getTagName() + ">, expected <" + rootName + ">");
    }
    return root;
  }

  private static void walk(Element parent, List<String> menus, Map<String, Setting> out) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (!(n instanceof Element e)) {
        continue;
      }
      if (e.getTagName().equals("Menu")) {
        menus.add(e.getAttribute("name"));
        walk(e, menus, out);
        menus.remove(menus.size() - 1);
      } else if (e.getTagName().equals("Setting")) {
        String type = e.getAttribute("type");
        String value =
            e.hasAttribute("selectedOption")
                ? e.getAttribute("selectedOption")
                : e.hasAttribute("numericValue")
                    ? e.getAttribute("numericValue")
                    : e.hasAttribute("checkedStatus")
                        ? e.getAttribute("checkedStatus")
                        : e.getAttribute("stringValue");
        out.putIfAbsent(e.getAttribute("name"), new Setting(List.copyOf(menus), type, value));
      }
    }
  }

  @Override
  public List<String> stageBiosCommands(String lastRead, Map<String, String> changes) {
    Map<String, Setting> current = settings(lastRead);
    var xml =
        new StringBuilder("<?xml version=\"1.0\" encoding=\"ISO-8859-1\" standalone=\"yes\"?>\n");
    xml.append("<BiosCfg>\n");
    changes.forEach(
        (name, value) -> {
          Setting s = current.get(name);
          if (s == null) {
            throw new IllegalArgumentException("sum shows no BIOS setting '" + name + "'");
          }
          s.menus().forEach(m -> xml.append("<Menu name=\"").append(escape(m)).append("\">"));
          String attribute =
              switch (s.type()) {
                case "Numeric" -> "numericValue";
                case "CheckBox" -> "checkedStatus";
                case "String" -> "stringValue";
                default -> "selectedOption";
              };
          xml.append("<Setting name=\"")
              .append(escape(name))
              .append("\" ")
              .append(attribute)
              .append("=\"")
              .append(escape(value))
              .append("\" type=\"")
              .append(escape(s.type().isEmpty() ? "Option" : s.type()))
              .append("\"/>");
          s.menus().forEach(m -> xml.append("</Menu>"));
          xml.append('\n');
        });
    xml.append("</BiosCfg>\n");
    return List.of(
        "f=$(mktemp) && cat > \"$f\" <<'OPSFLOW_SUM_EOF'\n"
            + xml
            + "OPSFLOW_SUM_EOF\nsum -c ChangeBiosCfg --file \"$f\"; rc=$?; rm -f \"$f\"; exit $rc");
  }

  @Override
  public void checkStaged(String command, String output) {
    String lower = output.toLowerCase(java.util.Locale.ROOT);
    if (lower.contains("error") || lower.contains("fail")) {
      throw new IllegalArgumentException("sum refused: " + Racadm.abbreviate(output));
    }
  }

  @Override
  public Optional<String> powerStateCommand() {
    return Optional.empty();
  }

  @Override
  public String parsePowerState(String output) {
    throw new UnsupportedOperationException("in-band sum reads no power state");
  }

  @Override
  public Optional<String> resetCommand(String type) {
    return Optional.empty();
  }

  @Override
  public Optional<String> readNetworkCommand() {
    return Optional.of(
        "f=$(mktemp) && sum -c GetBmcCfg --file \"$f\" --overwrite >/dev/null"
            + " && cat \"$f\"; rc=$?; rm -f \"$f\"; exit $rc");
  }

  @Override
  public Ipv4Settings parseNetwork(String output) {
    Element ipv4 = document(output, "BmcCfg", "BMC configuration");
    for (String tag : List.of("OemCfg", "LAN", "Configuration", "IPv4", "Configuration")) {
      ipv4 = child(ipv4, tag);
    }
    String source = text(ipv4, "IPSrc");
    if (source.equalsIgnoreCase("DHCP")) {
      return Ipv4Settings.dhcpOn();
    }
    if (!source.equalsIgnoreCase("Static")) {
      throw new IllegalArgumentException(
          "sum's IPSrc is '" + source + "', expected DHCP or Static");
    }
    String gateway = text(ipv4, "DefaultGateWayAddr");
    return Ipv4Settings.fixed(
        text(ipv4, "IPAddr"), text(ipv4, "SubNetMask"), gateway.isEmpty() ? null : gateway);
  }

  private static Element child(Element parent, String tag) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(tag)) {
        return e;
      }
    }
    throw new IllegalArgumentException(
        "sum's BMC configuration has no <" + tag + "> in <" + parent.getTagName() + ">");
  }

  private static String text(Element parent, String tag) {
    return child(parent, tag).getTextContent().strip();
  }

  /** A {@code <BmcCfg>} of only the IPv4 table (address last, as SUM applies it in order). */
  @Override
  public List<String> writeNetworkCommands(Ipv4Settings settings) {
    var ipv4 = new StringBuilder();
    if (settings.dhcp()) {
      ipv4.append("<IPSrc>DHCP</IPSrc>");
    } else {
      ipv4.append("<IPSrc>Static</IPSrc>")
          .append("<SubNetMask>")
          .append(escape(settings.netmask()))
          .append("</SubNetMask>");
      if (settings.gateway() != null) {
        ipv4.append("<DefaultGateWayAddr>")
            .append(escape(settings.gateway()))
            .append("</DefaultGateWayAddr>");
      }
      ipv4.append("<IPAddr>").append(escape(settings.address())).append("</IPAddr>");
    }
    String xml =
        "<?xml version=\"1.0\"?>\n<BmcCfg><OemCfg Action=\"Change\"><LAN Action=\"Change\">"
            + "<Configuration><IPv4 Action=\"Change\"><Configuration>"
            + ipv4
            + "</Configuration></IPv4></Configuration></LAN></OemCfg></BmcCfg>\n";
    return List.of(
        "f=$(mktemp) && cat > \"$f\" <<'OPSFLOW_SUM_EOF'\n"
            + xml
            + "OPSFLOW_SUM_EOF\nsum -c ChangeBmcCfg --file \"$f\"; rc=$?; rm -f \"$f\"; exit $rc");
  }

  @Override
  public void checkNetworkWritten(String command, String output) {
    if (!output.contains("BMC configuration is updated")) {
      throw new IllegalArgumentException("sum refused: " + Racadm.abbreviate(output));
    }
  }

  @Override
  public Optional<String> firmwareInventoryCommand() {
    return Optional.of("sum -c GetBiosInfo --showall && sum -c GetBmcInfo");
  }

  /** {@code BIOS} and {@code BMC} with the versions of the {@code Managed system} sections. */
  @Override
  public Map<String, String> parseFirmwareInventory(String output) {
    var versions = new LinkedHashMap<String, String>();
    boolean managed = false;
    for (String line : output.split("\\R")) {
      if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
        managed = line.startsWith("Managed system");
        continue;
      }
      var m =
          java.util.regex.Pattern.compile("^\\s+(BIOS|BMC) version\\.+\\s*(\\S.*?)\\s*$")
              .matcher(line);
      if (managed && m.matches()) {
        versions.put(m.group(1), m.group(2));
      }
    }
    if (versions.isEmpty()) {
      throw new IllegalArgumentException(
          "sum printed no 'BIOS version....' or 'BMC version....' line of the managed system: "
              + Racadm.abbreviate(output));
    }
    return versions;
  }

  @Override
  public String firmwareUpdateCommand(String remotePath) {
    return "sum -c UpdateBios --file " + VendorTool.quote(remotePath);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  /** The tool; it keeps no state, so one instance serves every server. */
  public SupermicroSum() {}
}
