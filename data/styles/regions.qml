<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.16-Białowieża" styleCategories="Symbology|Labeling" labelsEnabled="1">
  <renderer-v2 type="graduatedSymbol" attr="returns" graduatedMethod="GraduatedColor" symbollevels="0" enableorderby="0" forceraster="0">
    <ranges>
      <range lower="-0.5" upper="0.5" symbol="0" label="no returns records" render="true"/>
      <range lower="0.5" upper="2.5" symbol="1" label="1-2 returns records" render="true"/>
      <range lower="2.5" upper="5.5" symbol="2" label="3-5 returns records" render="true"/>
      <range lower="5.5" upper="1000" symbol="3" label="6 or more returns records" render="true"/>
    </ranges>
    <symbols>
      <symbol type="fill" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" pass="0" locked="0">
          <prop k="color" v="255,255,255,255"/>
          <prop k="style" v="solid"/>
          <prop k="outline_color" v="90,90,90,255"/>
          <prop k="outline_width" v="0.4"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="outline_style" v="solid"/>
        </layer>
      </symbol>
      <symbol type="fill" name="1" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" pass="0" locked="0">
          <prop k="color" v="198,219,239,255"/>
          <prop k="style" v="solid"/>
          <prop k="outline_color" v="90,90,90,255"/>
          <prop k="outline_width" v="0.4"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="outline_style" v="solid"/>
        </layer>
      </symbol>
      <symbol type="fill" name="2" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" pass="0" locked="0">
          <prop k="color" v="107,174,214,255"/>
          <prop k="style" v="solid"/>
          <prop k="outline_color" v="90,90,90,255"/>
          <prop k="outline_width" v="0.4"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="outline_style" v="solid"/>
        </layer>
      </symbol>
      <symbol type="fill" name="3" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" pass="0" locked="0">
          <prop k="color" v="33,113,181,255"/>
          <prop k="style" v="solid"/>
          <prop k="outline_color" v="90,90,90,255"/>
          <prop k="outline_width" v="0.4"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="outline_style" v="solid"/>
        </layer>
      </symbol>
    </symbols>
    <mode name="manual"/>
    <rotation/>
    <sizescale/>
  </renderer-v2>
  <labeling type="simple">
    <settings calloutType="simple">
      <text-style fieldName="name" isExpression="0" fontFamily="Sans Serif" fontSize="8" fontSizeUnit="Point" textColor="40,40,40,255" textOpacity="1">
        <text-buffer bufferDraw="1" bufferSize="0.8" bufferSizeUnits="MM" bufferColor="255,255,255,255" bufferOpacity="0.8"/>
      </text-style>
      <text-format multilineAlign="0" wrapChar="" autoWrapLength="0"/>
      <placement placement="1" dist="0" distUnits="MM" offsetType="0" quadOffset="4"/>
      <rendering obstacle="0" scaleVisibility="0" fontLimitPixelSize="0" drawLabels="1" displayAll="0"/>
    </settings>
  </labeling>
  <layerGeometryType>2</layerGeometryType>
</qgis>
