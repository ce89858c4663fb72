package dev.remediator.app;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * This machine's name, for the worker id that claims work and signs audit events: the
 * {@code HOSTNAME} variable when exported (shells set it but do not export it, so a service
 * manager often leaves it out), else the resolver's local host name, else {@code /etc/hostname}.
 */
final class HostName {
  private HostName() {}

  static String of(Map<String, String> env) {
    return of(env, HostName::resolverName, Path.of("/etc/hostname"));
  }

  static String of(Map<String, String> env, Supplier<Optional<String>> resolver, Path hostnameFile) {
    String exported = env.get("HOSTNAME");
    if (exported != null && !exported.isBlank()) {
      return exported.strip();
    }
    return resolver.get().filter(name -> !name.isBlank())
        .or(() -> fromFile(hostnameFile))
        .orElse("localhost");
  }

  private static Optional<String> resolverName() {
    try {
      return Optional.of(InetAddress.getLocalHost().getHostName());
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> fromFile(Path file) {
    try {
      return Optional.of(Files.readString(file).strip()).filter(name -> !name.isEmpty());
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
