package io.sfsync.emulator;
public class Main { public static void main(String[] a) {} }
