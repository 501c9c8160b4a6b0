// Leading-zero count of a W-bit word (W when the word is zero).
`default_nettype none

module qmac_lzc #(
    parameter integer W = 16,
    parameter integer CW = 5  // >= clog2(W+1)
) (
    input  wire [W-1:0]  x,
    output reg  [CW-1:0] count
);
  localparam [31:0] TOP32 = W - 1;
  localparam [CW-1:0] TOP = TOP32[CW-1:0];
  integer i;
  always @* begin
    count = TOP + 1'b1;
    for (i = 0; i < W; i = i + 1) if (x[i]) count = TOP - i[CW-1:0];
  end
endmodule

`default_nettype wire
