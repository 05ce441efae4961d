{
  "targets": [
    {
      "target_name": "tnkit_native",
      "sources": [
        "src/kernels/native/tnkit_native.c",
        "src/kernels/native/small_gemm.c"
      ],
      "include_dirs": [
        "/usr/include/openblas",
        "/usr/local/include",
        "/usr/local/opt/openblas/include",
        "/opt/homebrew/opt/openblas/include"
      ],
      "libraries": ["-lopenblas"],
      "cflags": ["-std=gnu11", "-O3", "-fno-math-errno", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "cflags!": ["-O2"],
      "conditions": [
        ["target_arch=='x64'", {
          "cflags": ["-march=x86-64-v2", "-mtune=generic"]
        }],
        ["OS=='mac'", {
          "libraries": ["-L/usr/local/opt/openblas/lib", "-L/opt/homebrew/opt/openblas/lib"],
          "xcode_settings": {
            "OTHER_CFLAGS": ["-std=gnu11", "-O3", "-fno-math-errno"],
            "GCC_OPTIMIZATION_LEVEL": "3"
          }
        }]
      ]
    }
  ]
}
