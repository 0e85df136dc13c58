package io.warpgw.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * The lines of a streamed body, split at {@code \n} where each chunk arrives: a line inside one chunk
 * is handed over as a range of that chunk's bytes, and only a line that spans chunks is copied. It
 * does what {@link io.vertx.core.parsetools.RecordParser} did for imports, which copied every byte
 * twice (into its own buffer, then into a Buffer per line) and read it back one checked
 * {@code getByte} at a time: a quarter of an import's event-loop time.
 *
 * <p>Paused, it pauses the body and stops handing over lines, the rest of the chunk kept for
 * {@link #resume}. A line that grows past {@code maxLine} bytes before its end is reported to the
 * exception handler as an {@link IllegalStateException}, and nothing more is handed over. The last
 * line needs no {@code \n}.
 */
final class LineSplitter {
  /** Receives {@code len} bytes of a line from {@code off}, valid only during the call. */
  interface LineHandler {
    void line(byte[] data, int off, int len);
  }

  private static final byte[] NONE = new byte[0];

  private final ReadStream<Buffer> body;
  private final int maxLine;
  private LineHandler handler;
  private Handler<Throwable> exceptionHandler = e -> { };
  private Handler<Void> endHandler = v -> { };
  /** The current chunk; lines from {@code pos} to {@code limit} are not handed over yet. */
  private byte[] data = NONE;
  private int pos;
  private int limit;
  /** The start of a line that began in an earlier chunk. */
  private byte[] partial = NONE;
  private int partialLen;
  private boolean paused;
  private boolean ended;
  private boolean draining;
  private boolean done;

  LineSplitter(ReadStream<Buffer> body, int maxLine) {
    this.body = body;
    this.maxLine = maxLine;
  }

  LineSplitter handler(LineHandler handler) {
    this.handler = handler;
    return this;
  }

  LineSplitter exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  LineSplitter endHandler(Handler<Void> handler) {
    this.endHandler = handler;
    return this;
  }

  /** Starts reading the body; call once the handlers are set. */
  void start() {
    body.exceptionHandler(this::fail);
    body.endHandler(v -> {
      ended = true;
      drain();
    });
    body.handler(this::onChunk);
  }

  void pause() {
    paused = true;
    body.pause();
  }

  void resume() {
    paused = false;
    drain();
  }

  private void onChunk(Buffer chunk) {
    byte[] bytes = chunk.getBytes();
    if (pos < limit) {
      // Not expected (the body is paused while a chunk is unfinished), but never lose bytes.
      byte[] joined = new byte[limit - pos + bytes.length];
      System.arraycopy(data, pos, joined, 0, limit - pos);
      System.arraycopy(bytes, 0, joined, limit - pos, bytes.length);
      bytes = joined;
    }
    data = bytes;
    pos = 0;
    limit = bytes.length;
    drain();
  }

  private void drain() {
    if (draining || done) {
      return;
    }
    draining = true;
    try {
      while (!paused && !done) {
        int nl = indexOfNewline();
        if (nl < 0) {
          carry(pos, limit - pos);
          pos = limit;
          if (partialLen > maxLine) {
            fail(new IllegalStateException("line longer than " + maxLine + " bytes"));
          } else if (ended) {
            done = true;
            if (partialLen > 0) {
              handler.line(partial, 0, partialLen);
            }
            endHandler.handle(null);
          } else {
            body.resume();
          }
          return;
        }
        int start = pos;
        pos = nl + 1;
        if (partialLen > 0) {
          carry(start, nl - start);
          int len = partialLen;
          partialLen = 0;
          handler.line(partial, 0, len);
        } else {
          handler.line(data, start, nl - start);
        }
      }
    } finally {
      draining = false;
    }
  }

  private int indexOfNewline() {
    byte[] d = data;
    for (int i = pos; i < limit; i++) {
      if (d[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** Appends {@code len} bytes of the chunk from {@code from} to the line carried over chunks. */
  private void carry(int from, int len) {
    if (len == 0) {
      return;
    }
    if (partialLen + len > partial.length) {
      byte[] grown = new byte[Math.max(partialLen + len, Math.min(2 * partial.length + 64, maxLine + 1))];
      System.arraycopy(partial, 0, grown, 0, partialLen);
      partial = grown;
    }
    System.arraycopy(data, from, partial, partialLen, len);
    partialLen += len;
  }

  private void fail(Throwable e) {
    if (!done) {
      done = true;
      exceptionHandler.handle(e);
    }
  }
}
