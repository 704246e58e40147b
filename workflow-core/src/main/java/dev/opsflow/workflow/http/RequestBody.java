package dev.opsflow.workflow.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The body of a request: none, a value written as JSON with {@link dev.opsflow.workflow.Json}, an
 * {@code application/x-www-form-urlencoded} form (MAAS), or text with a content type of its own.
 *
 * <p>Values are immutable as far as their parts are (a JSON body holds the object it was given);
 * safe to share between threads when that object is.
 */
public sealed interface RequestBody {

  /** {@return no body} */
  static RequestBody none() {
    return Empty.INSTANCE;
  }

  /**
   * A value serialised as JSON when the request is sent.
   *
   * @param value the value to write as JSON
   * @return the body
   * @throws IllegalArgumentException if {@code value} is null
   */
  static RequestBody json(Object value) {
    return new JsonBody(value);
  }

  /**
   * A URL-encoded form. A collection value becomes one field per element, in order; null values are
   * left out; other values are written with {@code String.valueOf}.
   *
   * @param fields the form's fields and values
   * @return the body
   * @throws IllegalArgumentException if {@code fields} is null
   */
  static RequestBody form(Map<String, ?> fields) {
    if (fields == null) {
      throw new IllegalArgumentException("fields must not be null");
    }
    var pairs = new ArrayList<Map.Entry<String, String>>();
    fields.forEach(
        (name, value) -> {
          if (value instanceof Collection<?> many) {
            many.forEach(
                one -> {
                  if (one != null) {
                    pairs.add(new SimpleImmutableEntry<>(name, String.valueOf(one)));
                  }
                });
          } else if (value != null) {
            pairs.add(new SimpleImmutableEntry<>(name, String.valueOf(value)));
          }
        });
    return new Form(pairs);
  }

  /**
   * Text sent as is.
   *
   * @param content the text
   * @param contentType its media type, such as {@code text/plain}
   * @return the body
   * @throws IllegalArgumentException if an argument is null
   */
  static RequestBody text(String content, String contentType) {
    return new Text(content, contentType);
  }

  /** No body. */
  enum Empty implements RequestBody {
    /** The one empty body. */
    INSTANCE
  }

  /**
   * A value written as JSON.
   *
   * @param value the value to write as JSON
   */
  record JsonBody(Object value) implements RequestBody {
    /**
     * Checks that a value is given.
     *
     * @param value the value to write as JSON
     */
    public JsonBody {
      if (value == null) {
        throw new IllegalArgumentException("JSON body value must not be null");
      }
    }
  }

  /**
   * Form fields, in order; a name may repeat.
   *
   * @param fields the fields, names and values, in order
   */
  record Form(List<Map.Entry<String, String>> fields) implements RequestBody {
    /**
     * Copies the fields.
     *
     * @param fields the form's fields and values; copied, in order
     */
    public Form {
      if (fields == null) {
        throw new IllegalArgumentException("fields must not be null");
      }
      fields = List.copyOf(fields);
    }

    /** {@return the fields URL-encoded as {@code a=1&b=2}} */
    public String encoded() {
      var joiner = new StringJoiner("&");
      for (var field : fields) {
        joiner.add(encode(field.getKey()) + "=" + encode(field.getValue()));
      }
      return joiner.toString();
    }

    private static String encode(String value) {
      return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
  }

  /**
   * Text with its content type.
   *
   * @param content the text
   * @param contentType its media type
   */
  record Text(String content, String contentType) implements RequestBody {
    /**
     * Checks that both parts are given.
     *
     * @param content the text
     * @param contentType its media type
     */
    public Text {
      if (content == null || contentType == null) {
        throw new IllegalArgumentException("content and contentType must not be null");
      }
    }
  }
}
