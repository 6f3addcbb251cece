package io.payrail.devservers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a Payrail home folder, so that two stacks never share one set of data files.
 * The operating system drops the lock when the holder dies, even by SIGKILL, so a crash never
 * leaves a stale lock behind.
 */
public final class HomeLock implements AutoCloseable {

  private final FileChannel channel;
  private final FileLock lock;

  private HomeLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock or throws {@link AlreadyRunningException} naming the process that holds it. */
  public static HomeLock acquire(Path home) {
    Path file = home.resolve("payrail.lock");
    try {
      Files.createDirectories(home);
      FileChannel channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock = tryLock(channel);
      if (lock == null) {
        String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
        channel.close();
        throw new AlreadyRunningException(home, holder);
      }
      channel.truncate(0);
      channel.write(StandardCharsets.UTF_8.encode(Long.toString(ProcessHandle.current().pid())), 0);
      return new HomeLock(channel, lock);
    } catch (IOException e) {
      throw new UncheckedIOException("could not lock " + file, e);
    }
  }

  /** Null when another process, or this one, holds the lock already. */
  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException heldByThisProcess) {
      return null;
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Another process already runs a stack on this home folder. */
  public static final class AlreadyRunningException extends RuntimeException {
    AlreadyRunningException(Path home, String holderPid) {
      super(
          "Payrail is already running on "
              + home.toAbsolutePath().normalize()
              + (holderPid.isEmpty() ? "" : " (pid " + holderPid + ")")
              + ". Stop it with Ctrl-C, or start a second stack elsewhere with PAYRAIL_HOME=<folder>.");
    }
  }
}
