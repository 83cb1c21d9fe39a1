// A small A2X-shaped WSDL for the engine's tests: two inline schemas that import each other by
// namespace only, unqualified children, an ActionCode enumeration, a length facet, and two
// operations (one idempotent).
#pragma once

namespace causeway::soap::testing {

inline constexpr char kEchoWsdl[] = R"(<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:xsd="http://www.w3.org/2001/XMLSchema"
    xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:tns="urn:test:iface" xmlns:n1="urn:test:msg"
    xmlns:t="urn:test:types" targetNamespace="urn:test:iface">
  <wsdl:types>
    <xsd:schema targetNamespace="urn:test:msg">
      <xsd:import namespace="urn:test:types"/>
      <xsd:element name="EchoRequest" type="t:EchoRequestMessage"/>
      <xsd:element name="EchoResponse" type="t:EchoResponseMessage"/>
      <xsd:element name="OtherRequest" type="t:EchoRequestMessage"/>
    </xsd:schema>
    <xsd:schema targetNamespace="urn:test:types" xmlns="urn:test:types">
      <xsd:complexType name="Header">
        <xsd:sequence>
          <xsd:element minOccurs="0" name="ID" type="xsd:token"/>
          <xsd:element minOccurs="0" name="UUID" type="xsd:token"/>
        </xsd:sequence>
      </xsd:complexType>
      <xsd:simpleType name="ActionCode">
        <xsd:restriction base="xsd:token">
          <xsd:enumeration value="01"/><xsd:enumeration value="02"/>
        </xsd:restriction>
      </xsd:simpleType>
      <xsd:simpleType name="Name">
        <xsd:restriction base="xsd:string"><xsd:maxLength value="10"/></xsd:restriction>
      </xsd:simpleType>
      <xsd:complexType name="Item">
        <xsd:sequence>
          <xsd:element name="Name" type="Name"/>
          <xsd:element minOccurs="0" name="Count" type="xsd:int"/>
        </xsd:sequence>
        <xsd:attribute name="actionCode" type="ActionCode"/>
      </xsd:complexType>
      <xsd:complexType name="EchoRequestMessage">
        <xsd:sequence>
          <xsd:element name="BasicMessageHeader" type="Header"/>
          <xsd:element maxOccurs="unbounded" name="Item" type="Item"/>
        </xsd:sequence>
      </xsd:complexType>
      <xsd:complexType name="EchoResponseMessage">
        <xsd:sequence>
          <xsd:element name="Count" type="xsd:int"/>
        </xsd:sequence>
      </xsd:complexType>
    </xsd:schema>
  </wsdl:types>
  <wsdl:service name="service">
    <wsdl:port binding="tns:binding" name="binding">
      <soap:address location="https://causeway.invalid/echo"/>
    </wsdl:port>
  </wsdl:service>
</wsdl:definitions>
)";

}  // namespace causeway::soap::testing
