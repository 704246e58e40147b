package dev.opsflow.hardware.ssh;

import java.net.SocketAddress;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a {@link HostKeyPolicy} into MINA's {@link ServerKeyVerifier}, remembering the key a server
 * presented so a rejection can be reported with its fingerprint.
 */
final class HostKeyVerifiers {
  private static final Logger log = LoggerFactory.getLogger(SshClient.class);

  private HostKeyVerifiers() {}

  /** A verifier that records the presented key's fingerprint and whether it was accepted. */
  static final class Recording implements ServerKeyVerifier {
    private final ServerKeyVerifier delegate;
    final AtomicReference<String> presented = new AtomicReference<>();
    final AtomicReference<Boolean> accepted = new AtomicReference<>();

    Recording(ServerKeyVerifier delegate) {
      this.delegate = delegate;
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey key) {
      presented.set(KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(key));
      boolean ok = delegate.verifyServerKey(session, remote, key);
      accepted.set(ok);
      return ok;
    }
  }

  static Recording forPolicy(HostKeyPolicy policy, String target) {
    if (policy instanceof HostKeyPolicy.KnownHosts known) {
      return new Recording(
          new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE, known.file()));
    }
    if (policy instanceof HostKeyPolicy.Pinned pinned) {
      List<PublicKey> keys = parse(pinned.publicKeys());
      return new Recording(
          (session, remote, key) -> keys.stream().anyMatch(k -> KeyUtils.compareKeys(k, key)));
    }
    return new Recording(
        (session, remote, key) -> {
          log.warn(
              "accepting the unverified host key {} of {} (HostKeyPolicy.acceptAnyInsecure()):"
                  + " anyone on the path can impersonate this server",
              KeyUtils.getFingerPrint(key),
              target);
          return true;
        });
  }

  /**
   * The key types trusted for the host, to offer them first in the key exchange (as OpenSSH's
   * client does); otherwise a server with several host keys may present one we do not know.
   */
  static List<String> keyTypes(HostKeyPolicy policy, String host, int port) {
    var types = new ArrayList<String>();
    if (policy instanceof HostKeyPolicy.Pinned pinned) {
      for (String line : pinned.publicKeys()) {
        types.add(line.trim().split("\\s+")[0]);
      }
    } else if (policy instanceof HostKeyPolicy.KnownHosts known
        && java.nio.file.Files.isReadable(known.file())) {
      try {
        for (KnownHostEntry entry : KnownHostEntry.readKnownHostEntries(known.file())) {
          if (entry.getKeyEntry() != null && entry.isHostMatch(host, port)) {
            types.add(entry.getKeyEntry().getKeyType());
          }
        }
      } catch (java.io.IOException | RuntimeException e) {
        log.debug("cannot read {} to order host key types: {}", known.file(), e.toString());
      }
    }
    return types;
  }

  static List<PublicKey> parse(List<String> lines) {
    var keys = new ArrayList<PublicKey>();
    for (String line : lines) {
      try {
        keys.add(
            PublicKeyEntry.parsePublicKeyEntry(line.trim())
                .resolvePublicKey(null, null, PublicKeyEntryResolver.FAILING));
      } catch (Exception e) {
        String shown = line.length() > 40 ? line.substring(0, 40) + "..." : line;
        throw new IllegalArgumentException(
            "pinned host key must be an OpenSSH public key line ('ssh-ed25519 AAAA...'), was '"
                + shown
                + "': "
                + e.getMessage(),
            e);
      }
    }
    return keys;
  }
}
