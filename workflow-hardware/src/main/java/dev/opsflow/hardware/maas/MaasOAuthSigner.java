package dev.opsflow.hardware.maas;

import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.http.RequestSigner;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;

/**
 * Signs MAAS requests with OAuth 1.0a PLAINTEXT: the API key {@code consumer_key:token_key:
 * token_secret} gives the header {@code Authorization: OAuth oauth_version="1.0",
 * oauth_signature_method="PLAINTEXT", oauth_consumer_key=..., oauth_token=...,
 * oauth_signature="&<token_secret>", oauth_nonce=..., oauth_timestamp=...} with an empty consumer
 * secret and a fresh random nonce and the current timestamp on every request.
 *
 * <p>Plug it into the core HTTP client with {@code Auth.custom(signer)}. The key stays a {@link
 * Secret}; {@link #toString()} shows only the consumer key. Thread-safe.
 */
public final class MaasOAuthSigner implements RequestSigner {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String consumerKey;
  private final String tokenKey;
  private final Secret tokenSecret;
  private final Clock clock;

  private MaasOAuthSigner(String consumerKey, String tokenKey, Secret tokenSecret, Clock clock) {
    this.consumerKey = consumerKey;
    this.tokenKey = tokenKey;
    this.tokenSecret = tokenSecret;
    this.clock = clock;
  }

  /**
   * A signer for an API key as MAAS shows it ({@code maas apikey}).
   *
   * @param apiKey the API key, {@code consumer:token:secret}
   * @return the signer
   * @throws IllegalArgumentException if the key is null or not three non-empty parts separated by
   *     colons (the message never shows the key)
   */
  public static MaasOAuthSigner of(Secret apiKey) {
    return of(apiKey, Clock.systemUTC());
  }

  /**
   * As {@link #of(Secret)}, with the clock that stamps {@code oauth_timestamp}.
   *
   * @param apiKey the API key, {@code consumer:token:secret}
   * @param clock the clock for the timestamps
   * @return the signer
   */
  public static MaasOAuthSigner of(Secret apiKey, Clock clock) {
    if (apiKey == null) {
      throw new IllegalArgumentException("apiKey must not be null");
    }
    String[] parts = apiKey.reveal().split(":", -1);
    if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
      throw new IllegalArgumentException(
          "apiKey must be 'consumer_key:token_key:token_secret' (three parts separated by ':'),"
              + " had "
              + parts.length
              + " part(s)");
    }
    return new MaasOAuthSigner(parts[0], parts[1], Secret.of(parts[2]), clock);
  }

  @Override
  public Map<String, String> sign(String method, URI uri) {
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    String header =
        "OAuth oauth_version=\"1.0\", oauth_signature_method=\"PLAINTEXT\", "
            + "oauth_consumer_key=\""
            + encode(consumerKey)
            + "\", "
            + "oauth_token=\""
            + encode(tokenKey)
            + "\", "
            + "oauth_signature=\""
            + encode("&" + tokenSecret.reveal())
            + "\", "
            + "oauth_nonce=\""
            + HexFormat.of().formatHex(nonce)
            + "\", "
            + "oauth_timestamp=\""
            + clock.instant().getEpochSecond()
            + "\"";
    return Map.of("Authorization", header);
  }

  /** {@return the consumer key (not a secret), for messages} */
  public String consumerKey() {
    return consumerKey;
  }

  @Override
  public String toString() {
    return "MaasOAuthSigner[consumerKey=" + consumerKey + ", token=****]";
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
