package dev.opsflow.workflow.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.opsflow.workflow.ApiException;
import dev.opsflow.workflow.ErrorKind;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** HTTPS against servers with self-signed certificates made by the JDK's keytool. */
class TlsTest {
  private static final String STORE_PASSWORD = "changeit";

  @TempDir static Path dir;

  /** Names 127.0.0.1 and localhost. */
  private static Path goodKeyStore;

  /** Names a host we never connect to, so host name verification must fail. */
  private static Path wrongHostKeyStore;

  private TestServer server;

  @BeforeAll
  static void makeCertificates() throws Exception {
    goodKeyStore = keyPair("good", "SAN=ip:127.0.0.1,dns:localhost");
    wrongHostKeyStore = keyPair("wrong", "SAN=dns:elsewhere.invalid");
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private static Path keyPair(String name, String san) throws Exception {
    Path store = dir.resolve(name + ".p12");
    keytool(
        "-genkeypair",
        "-alias",
        name,
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=" + name + ".opsflow.test",
        "-ext",
        san,
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        store.toString(),
        "-storepass",
        STORE_PASSWORD,
        "-keypass",
        STORE_PASSWORD);
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        name,
        "-keystore",
        store.toString(),
        "-storepass",
        STORE_PASSWORD,
        "-file",
        dir.resolve(name + ".pem").toString());
    return store;
  }

  private static void keytool(String... args) throws Exception {
    var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("keytool said: %s", output).isZero();
  }

  private static Path pemOf(Path keyStore) {
    String name = keyStore.getFileName().toString().replace(".p12", ".pem");
    return keyStore.resolveSibling(name);
  }

  private TestServer serve(Path keyStore) throws Exception {
    var store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      store.load(in, STORE_PASSWORD.toCharArray());
    }
    var keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, STORE_PASSWORD.toCharArray());
    var context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    server = TestServer.https(context);
    server.on("GET", "/v1/cluster", 200, "{\"name\":\"secure\"}");
    return server;
  }

  @Test
  void defaultSettingsRejectASelfSignedCertificate() throws Exception {
    serve(goodKeyStore);
    var client = JsonHttpClient.create(HttpSettings.of(server.baseUri()));

    ApiException e =
        catchThrowableOfType(ApiException.class, () -> client.get("/v1/cluster", JsonNode.class));

    assertThat(e.kind()).isEqualTo(ErrorKind.CONNECTION);
    assertThat(e.status()).isZero();
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage())
        .contains("TLS handshake with 127.0.0.1:" + server.port())
        .contains("withTrustedPem");
  }

  @Test
  void trustingTheCertificatePemStringWorks() throws Exception {
    serve(goodKeyStore);
    String pem = Files.readString(pemOf(goodKeyStore));
    var client = JsonHttpClient.create(HttpSettings.of(server.baseUri()).withTrustedPem(pem));

    assertThat(client.get("/v1/cluster", JsonNode.class).get("name").asString())
        .isEqualTo("secure");
  }

  @Test
  void trustingTheCertificatePemFileWorks() throws Exception {
    serve(goodKeyStore);
    var client =
        JsonHttpClient.create(
            HttpSettings.of(server.baseUri()).withTrustedPemFile(pemOf(goodKeyStore)));

    assertThat(client.get("/v1/cluster", JsonNode.class).get("name").asString())
        .isEqualTo("secure");
  }

  @Test
  void trustedCertificateStillHasToNameTheHost() throws Exception {
    serve(wrongHostKeyStore);
    var client =
        JsonHttpClient.create(
            HttpSettings.of(server.baseUri()).withTrustedPemFile(pemOf(wrongHostKeyStore)));

    ApiException e =
        catchThrowableOfType(ApiException.class, () -> client.get("/v1/cluster", JsonNode.class));

    assertThat(e.kind()).isEqualTo(ErrorKind.CONNECTION);
    assertThat(e.getMessage()).contains("TLS handshake");
  }

  @Test
  void trustAllAcceptsAnyCertificateAndHostAndWarns() throws Exception {
    serve(wrongHostKeyStore);
    var warnings = new ArrayList<String>();
    var client =
        new JsonHttpClient(HttpSettings.of(server.baseUri()).withTrustAll(), null, warnings::add);

    assertThat(client.get("/v1/cluster", JsonNode.class).get("name").asString())
        .isEqualTo("secure");
    assertThat(warnings)
        .singleElement()
        .asString()
        .startsWith("TLS verification is OFF for https://127.0.0.1:" + server.port());
  }

  @Test
  void verifiedSettingsDoNotWarn() throws Exception {
    serve(goodKeyStore);
    var warnings = new ArrayList<String>();

    new JsonHttpClient(
        HttpSettings.of(server.baseUri()).withTrustedPemFile(pemOf(goodKeyStore)),
        null,
        warnings::add);

    assertThat(warnings).isEmpty();
  }

  @Test
  void anUnreadablePemFileIsAConfigurationError() {
    var settings =
        HttpSettings.of("https://127.0.0.1:1").withTrustedPemFile(dir.resolve("none.pem"));

    var e =
        catchThrowableOfType(
            dev.opsflow.workflow.WorkflowException.class, () -> JsonHttpClient.create(settings));

    assertThat(e.kind()).isEqualTo(ErrorKind.CONFIGURATION);
    assertThat(e.getMessage()).contains("none.pem");
  }
}
