package io.payrail.activities.settlement.payout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The folder payout files wait in before transmission. A file appears whole or not at all: it is
 * written to a temporary file in the same folder, then moved onto its name atomically, so the bank
 * connector (or an operator) never reads half a file. Writing the same name again replaces it with
 * the same bytes, which is what makes a retried generation harmless.
 */
public final class Outbox {

  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,200}");

  private final Path folder;

  public Outbox(Path folder) {
    this.folder = folder.toAbsolutePath();
  }

  public Path folder() {
    return folder;
  }

  public void write(String fileName, byte[] bytes) {
    Path target = resolve(fileName);
    try {
      Files.createDirectories(folder);
      Path temporary = Files.createTempFile(folder, "." + fileName, ".part");
      try {
        Files.write(temporary, bytes);
        try {
          Files.move(
              temporary,
              target,
              StandardCopyOption.ATOMIC_MOVE,
              StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + fileName + " to the outbox", e);
    }
  }

  /** The file's bytes, or empty when it is not in the outbox. */
  public Optional<byte[]> read(String fileName) {
    try {
      return Optional.of(Files.readAllBytes(resolve(fileName)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + fileName + " from the outbox", e);
    }
  }

  /** Lower-case hex SHA-256, as {@code payout_files.sha256} holds it. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private Path resolve(String fileName) {
    if (!FILE_NAME.matcher(fileName).matches()) {
      throw new IllegalArgumentException("not an outbox file name: " + fileName);
    }
    return folder.resolve(fileName);
  }
}
