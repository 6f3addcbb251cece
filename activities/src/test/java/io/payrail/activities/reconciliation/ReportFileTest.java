package io.payrail.activities.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** Reading an acquirer's settlement report: columns by name, every line checked. */
class ReportFileTest {

  private static final LocalDate DAY = LocalDate.parse("2026-11-24");

  @Test
  void columnsInAnyOrder_extraColumnsIgnored_totalsSummed() {
    ReportFile report =
        parse(
            "batch,reference,extra,type,currency,gross,fee,net,settled_date\n"
                + "B1,pay_1:capture,x,capture,USD,9000,145,8855,2026-11-24\n"
                + "\n"
                + "B1,re_1:refund,y,refund,USD,400,0,-400,2026-11-24\n");

    assertThat(report.lines()).hasSize(2);
    assertThat(report.lines().get(1))
        .isEqualTo(new ReportFile.Line(2, "re_1:refund", "refund", 400, 0, -400, "B1", DAY));
    assertThat(report.totalGross()).isEqualTo(9400);
    assertThat(report.totalFee()).isEqualTo(145);
    assertThat(report.totalNet()).isEqualTo(8455);
  }

  @Test
  void headerOnly_isAnEmptyReport() {
    assertThat(parse(String.join(",", ReportFile.COLUMNS) + "\n").lines()).isEmpty();
  }

  @Test
  void aFileThatIsNotAReportOfThatDayAndCurrency_isRefusedWhole_namingTheLine() {
    String header = String.join(",", ReportFile.COLUMNS) + "\n";
    assertThatThrownBy(() -> parse("")).hasMessageContaining("no header");
    assertThatThrownBy(() -> parse("reference,type\n")).hasMessageContaining("no column currency");
    assertThatThrownBy(() -> parse(header + "p:capture,capture,EUR,1,0,1,B,2026-11-24\n"))
        .hasMessageContaining("line 1 currency");
    assertThatThrownBy(() -> parse(header + "p:capture,sale,USD,1,0,1,B,2026-11-24\n"))
        .hasMessageContaining("line 1 type");
    assertThatThrownBy(() -> parse(header + "p:capture,capture,USD,1.5,0,1,B,2026-11-24\n"))
        .hasMessageContaining("line 1 gross");
    assertThatThrownBy(() -> parse(header + "p:capture,capture,USD,0,0,0,B,2026-11-24\n"))
        .hasMessageContaining("gross must be positive");
    assertThatThrownBy(() -> parse(header + "p capture,capture,USD,1,0,1,B,2026-11-24\n"))
        .hasMessageContaining("line 1 reference");
    assertThatThrownBy(() -> parse(header + "p:capture,capture,USD,1,0,1,B,2026-11-23\n"))
        .hasMessageContaining("settled_date");
    assertThatThrownBy(() -> parse(header + "p:capture,capture,USD,1\n"))
        .hasMessageContaining("cells");
  }

  @Test
  void sha256_ofTheExactBytes() {
    assertThat(ReconciliationActivitiesImpl.sha256("abc".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  private static ReportFile parse(String csv) {
    return ReportFile.parse(csv.getBytes(StandardCharsets.UTF_8), "USD", DAY);
  }
}
