// The RTL side of the SystemC co-simulation (testbench/sc): a unit's PE top as
// qmac-rtlgen writes it, passed through unchanged, and the number of rising
// edges the RTL has seen since reset, so the testbench can check that it ran
// exactly the cycles the golden model ran. The unit's module is chosen with
// +define+QMAC_SC_UNIT=<module>.
`default_nettype none

module qmac_sc_dut (
    input  wire         clk,
    input  wire         rst,
    input  wire         valid,
    input  wire         clear,
    input  wire [15:0]  a,
    input  wire [15:0]  b,
    output wire [127:0] acc,
    output wire [3:0]   flags,
    output reg  [63:0]  cycles
);
  `QMAC_SC_UNIT pe (
      .clk(clk), .rst(rst), .valid(valid), .clear(clear), .a(a), .b(b), .acc(acc), .flags(flags)
  );

  // Rising edges since the last one with rst high (which counts as none).
  always @(posedge clk) begin
    if (rst) cycles <= 64'd0;
    else cycles <= cycles + 64'd1;
  end
endmodule

`default_nettype wire
