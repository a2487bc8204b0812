#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Ask Gemini for a recipe idea."""

import os  # environment access

import google.generativeai as genai  # the Gemini SDK

# --- setup -------------------------------------------------------------
genai.configure(api_key=os.environ["GEMINI_API_KEY"])  # key from the environment

# The model; flash is cheap enough for this
model = genai.GenerativeModel(
    "gemini-1.5-flash",  # model id
    # keep answers short
    generation_config={"max_output_tokens": 120},
)  # end of model

# --- ask ---------------------------------------------------------------
response = model.generate_content(  # the only request
    "Suggest a dinner with chickpeas.",  # prompt
)
print(response.text)  # show it
# done
