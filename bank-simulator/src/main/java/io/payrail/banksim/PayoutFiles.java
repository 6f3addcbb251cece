package io.payrail.banksim;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import tools.jackson.databind.JsonNode;

/**
 * The bank's payout file desk: {@code POST /v1/payout_files} takes a NACHA ACH file or an ISO 20022
 * pain.001 credit transfer (body = the bytes, header {@code X-File-Name}), once per SHA-256: the
 * same bytes again are the same file. {@code GET /v1/payout_files/{id}} answers {@code received}
 * until the acknowledgement delay has passed, then {@code accepted} with every entry {@code paid}
 * or {@code returned}, or {@code rejected} when the bytes were no file of either kind.
 *
 * <p>Test accounts decide returns, by their last four characters: ACH account numbers {@code
 * ...0001} R01 (insufficient funds), {@code ...0002} R02 (account closed), {@code ...0003} R03 (no
 * account); IBANs {@code ...0001} AM04 (insufficient funds), {@code ...0002} AC04 (closed), {@code
 * ...0003} AC01 (incorrect account number). Every other account is paid.
 *
 * <p>Faults ({@code PUT /sim/faults}), read when a file's status is asked for, so that a test can
 * switch them while a file waits: {@code file_ack_delay_ms} (default 2000) and {@code file_ack}:
 *
 * <ul>
 *   <li>{@code normal}: every entry answered;
 *   <li>{@code never}: no acknowledgement ever (missing-acknowledgement tests);
 *   <li>{@code reject}: every file rejected whole ({@code rejected}, with a reason);
 *   <li>{@code partial}: accepted, but only the first half of the entries (rounded down) answered:
 *       switching back to {@code normal} answers the rest, as a bank that reports late;
 *   <li>{@code unknown_reference}: every entry answered, and one more line with a reference that is
 *       in no file ({@link #UNKNOWN_REFERENCE}).
 * </ul>
 *
 * <p>{@code file_upload: "refuse"} answers every upload HTTP 422 ({@code file_refused}) without
 * keeping the file; {@code "accept"} is the default.
 *
 * <p>Its readers are its own, as a bank's would be: it shares no code with Payrail. It never logs
 * or returns an account number.
 */
final class PayoutFiles {

  static final int MAX_FILE_BYTES = 16 * 1024 * 1024;
  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,200}");
  private static final Pattern FILE_ID = Pattern.compile("/v1/payout_files/(bf_[0-9]{1,12})");
  private static final long DEFAULT_DELAY_MILLIS = 2_000;

  /** The reference of the extra answer line under {@code file_ack: "unknown_reference"}. */
  static final String UNKNOWN_REFERENCE = "UNKNOWN-REF-0001";

  /** What the bank answers about files, once their acknowledgement delay has passed. */
  private enum Ack {
    NORMAL,
    NEVER,
    REJECT,
    PARTIAL,
    UNKNOWN_REFERENCE;

    static Ack of(String name) {
      for (Ack ack : values()) {
        if (ack.apiName().equals(name)) {
          return ack;
        }
      }
      throw new IllegalArgumentException(
          "file_ack must be normal, never, reject, partial or unknown_reference");
    }

    String apiName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One entry as the bank read it; the account decides its fate and is never shown. */
  private record Entry(String reference, long amount, String account, boolean sepa) {

    Map<String, Object> outcome() {
      String code = returnCode();
      Map<String, Object> view = new LinkedHashMap<>();
      view.put("reference", reference);
      view.put("amount", amount);
      view.put("status", code == null ? "paid" : "returned");
      view.put("return_code", code);
      return view;
    }

    private String returnCode() {
      String last4 = account.length() < 4 ? account : account.substring(account.length() - 4);
      return switch (last4) {
        case "0001" -> sepa ? "AM04" : "R01";
        case "0002" -> sepa ? "AC04" : "R02";
        case "0003" -> sepa ? "AC01" : "R03";
        default -> null;
      };
    }
  }

  private record Received(
      String id,
      String fileName,
      String sha256,
      String format,
      long receivedAtMillis,
      List<Entry> entries,
      String rejection) {}

  private final Map<String, Received> bySha256 = new ConcurrentHashMap<>();
  private final Map<String, Received> byId = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private volatile long delayMillis = DEFAULT_DELAY_MILLIS;
  private volatile Ack ack = Ack.NORMAL;
  private volatile boolean refuseUploads;

  BankOutcome upload(String fileName, byte[] bytes) {
    if (fileName == null || !FILE_NAME.matcher(fileName).matches()) {
      return BankOutcome.error(400, "invalid_file_name", "X-File-Name: 1-200 of [A-Za-z0-9_.-]");
    }
    if (bytes.length == 0 || bytes.length > MAX_FILE_BYTES) {
      return BankOutcome.error(400, "invalid_file", "the body must be 1 byte to 16 MiB");
    }
    if (refuseUploads) {
      return BankOutcome.error(422, "file_refused", "the bank refuses payout files (fault)");
    }
    String sha256 = sha256(bytes);
    Received received =
        bySha256.computeIfAbsent(
            sha256,
            hash -> {
              Received file = read("bf_" + ids.incrementAndGet(), fileName, hash, bytes);
              byId.put(file.id(), file);
              return file;
            });
    return new BankOutcome(201, view(received));
  }

  BankOutcome status(String path) {
    var id = FILE_ID.matcher(path);
    if (!id.matches() || !byId.containsKey(id.group(1))) {
      return BankOutcome.error(404, "no_such_file", path);
    }
    return BankOutcome.ok(view(byId.get(id.group(1))));
  }

  /**
   * Takes {@code file_ack}, {@code file_ack_delay_ms} and {@code file_upload} from a {@code PUT
   * /sim/faults} body; all are checked before any is applied.
   */
  void configure(JsonNode faults) {
    Ack nextAck = Ack.of(faults.path("file_ack").asString(ack.apiName()));
    long delay = faults.path("file_ack_delay_ms").asLong(delayMillis);
    if (delay < 0 || delay > 600_000) {
      throw new IllegalArgumentException("file_ack_delay_ms must be between 0 and 600000");
    }
    String upload = faults.path("file_upload").asString(refuseUploads ? "refuse" : "accept");
    if (!upload.equals("refuse") && !upload.equals("accept")) {
      throw new IllegalArgumentException("file_upload must be accept or refuse");
    }
    ack = nextAck;
    delayMillis = delay;
    refuseUploads = upload.equals("refuse");
  }

  Map<String, Object> faultsView() {
    return Map.of(
        "file_ack",
        ack.apiName(),
        "file_ack_delay_ms",
        delayMillis,
        "file_upload",
        refuseUploads ? "refuse" : "accept");
  }

  void reset() {
    bySha256.clear();
    byId.clear();
    ack = Ack.NORMAL;
    refuseUploads = false;
    delayMillis = DEFAULT_DELAY_MILLIS;
  }

  private Map<String, Object> view(Received file) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", file.id());
    view.put("file_name", file.fileName());
    view.put("sha256", file.sha256());
    view.put("format", file.format());
    view.put("received_at", Instant.ofEpochMilli(file.receivedAtMillis()).toString());
    Ack answer = ack;
    boolean acknowledged =
        answer != Ack.NEVER && System.currentTimeMillis() >= file.receivedAtMillis() + delayMillis;
    if (!acknowledged) {
      view.put("status", "received");
    } else if (file.rejection() != null || answer == Ack.REJECT) {
      view.put("status", "rejected");
      view.put(
          "reason",
          file.rejection() != null
              ? file.rejection()
              : "file rejected by the bank: duplicate file header (fault)");
    } else {
      view.put("status", "accepted");
      view.put("entries", answered(file.entries(), answer));
    }
    view.put("entry_count", file.entries().size());
    return view;
  }

  private static List<Map<String, Object>> answered(List<Entry> entries, Ack answer) {
    List<Map<String, Object>> outcomes = new ArrayList<>();
    int count = answer == Ack.PARTIAL ? entries.size() / 2 : entries.size();
    entries.subList(0, count).forEach(entry -> outcomes.add(entry.outcome()));
    if (answer == Ack.UNKNOWN_REFERENCE) {
      outcomes.add(new Entry(UNKNOWN_REFERENCE, 1, "00000000", false).outcome());
    }
    return outcomes;
  }

  private static Received read(String id, String fileName, String sha256, byte[] bytes) {
    long now = System.currentTimeMillis();
    String text = new String(bytes, StandardCharsets.UTF_8).strip();
    try {
      if (text.startsWith("<")) {
        return new Received(id, fileName, sha256, "pain.001", now, pain001(bytes), null);
      }
      return new Received(id, fileName, sha256, "nacha", now, nacha(text), null);
    } catch (RuntimeException e) {
      return new Received(id, fileName, sha256, "unknown", now, List.of(), e.getMessage());
    }
  }

  /** Credit entries (6) of a NACHA file; the file must be whole 94-character records. */
  private static List<Entry> nacha(String text) {
    List<String> lines = text.lines().toList();
    if (lines.isEmpty() || !lines.getFirst().startsWith("1")) {
      throw new IllegalArgumentException("not a NACHA file: no file header");
    }
    List<Entry> entries = new ArrayList<>();
    boolean fileControl = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.length() != 94) {
        throw new IllegalArgumentException("record " + (i + 1) + " is not 94 characters");
      }
      if (line.startsWith("6")) {
        entries.add(
            new Entry(
                line.substring(79, 94),
                Long.parseLong(line.substring(29, 39)),
                line.substring(12, 29).strip(),
                false));
      }
      fileControl |= line.startsWith("9") && !line.equals("9".repeat(94));
    }
    if (lines.size() % 10 != 0 || !fileControl) {
      throw new IllegalArgumentException("not a NACHA file: blocking or file control missing");
    }
    return entries;
  }

  /** Credit transfers of a pain.001 document, read by local element names. */
  private static List<Entry> pain001(byte[] bytes) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      Element root =
          factory.newDocumentBuilder().parse(new ByteArrayInputStream(bytes)).getDocumentElement();
      NodeList transfers = root.getElementsByTagNameNS("*", "CdtTrfTxInf");
      if (!root.getNamespaceURI().contains("pain.001") || transfers.getLength() == 0) {
        throw new IllegalArgumentException("not a pain.001 credit transfer");
      }
      List<Entry> entries = new ArrayList<>();
      for (int i = 0; i < transfers.getLength(); i++) {
        Element transfer = (Element) transfers.item(i);
        entries.add(
            new Entry(
                text(transfer, "EndToEndId"),
                new java.math.BigDecimal(text(transfer, "InstdAmt"))
                    .movePointRight(2)
                    .longValueExact(),
                text(transfer, "IBAN"),
                true));
      }
      return entries;
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalArgumentException("not a readable pain.001 document", e);
    }
  }

  private static String text(Element parent, String localName) {
    NodeList nodes = parent.getElementsByTagNameNS("*", localName);
    if (nodes.getLength() == 0) {
      throw new IllegalArgumentException("a credit transfer without " + localName);
    }
    return nodes.item(0).getTextContent().strip();
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
