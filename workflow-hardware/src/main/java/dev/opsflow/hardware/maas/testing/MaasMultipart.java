package dev.opsflow.hardware.maas.testing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code multipart/form-data} body (RFC 7578) into the URL-encoded form the {@link
 * MaasSimulator} parses: the MAAS CLI, python-libmaas and {@code curl -F} send their forms so. Text
 * fields only (a file part is read as text, as MAAS reads {@code user_data}).
 */
final class MaasMultipart {
  private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");
  private static final Pattern NAME = Pattern.compile("name=\"([^\"]*)\"");

  private MaasMultipart() {}

  static boolean isMultipart(String contentType) {
    return contentType != null && contentType.toLowerCase().startsWith("multipart/form-data");
  }

  static String toUrlEncoded(String contentType, byte[] body) {
    Matcher b = BOUNDARY.matcher(contentType);
    if (!b.find()) {
      return "";
    }
    String text = new String(body, StandardCharsets.ISO_8859_1);
    var form = new StringBuilder();
    for (String part : text.split("--" + Pattern.quote(b.group(1)))) {
      int split = part.indexOf("\r\n\r\n");
      if (split < 0) {
        continue;
      }
      Matcher name = NAME.matcher(part.substring(0, split));
      if (!name.find()) {
        continue;
      }
      String value = part.substring(split + 4);
      if (value.endsWith("\r\n")) {
        value = value.substring(0, value.length() - 2);
      }
      value = new String(value.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
      if (form.length() > 0) {
        form.append('&');
      }
      form.append(URLEncoder.encode(name.group(1), StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
    return form.toString();
  }
}
