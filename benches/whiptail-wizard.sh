#!/bin/sh
# The comparison wizard for benches/pty.rs: the same three questions as gpuwise's quick-check
# tree, asked with whiptail (Debian package `whiptail`). Answers go to stderr, as whiptail does.
whiptail --title "Quick check" --menu "Does the core of the work do large matrix or tensor operations?" 15 70 2 \
  yes "Yes: training, inference, rendering, simulation" \
  no "No: web, databases, ETL, log analysis" || exit 1
whiptail --title "Quick check" --menu "How large is the data or the model?" 15 70 2 \
  large "Large: over 100k samples or over 100M parameters" \
  small "Small or medium" || exit 1
whiptail --title "Quick check" --menu "Must it answer within milliseconds?" 15 70 2 \
  ms "Yes: online, milliseconds" \
  batch "No: offline or batch" || exit 1
